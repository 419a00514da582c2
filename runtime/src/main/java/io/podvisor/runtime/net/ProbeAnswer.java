package io.podvisor.runtime.net;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.util.BufferUtil;

/**
 * One HTTP/1.x answer as it arrives, parsed by Jetty's {@link HttpParser}: the status, the headers,
 * the first {@code maxBody} bytes of the body. Interim answers (1xx but 101) are skipped; a body
 * without a length runs to the end of the connection.
 */
final class ProbeAnswer implements HttpParser.ResponseHandler {

    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final HttpParser parser = new HttpParser(this, MAX_HEADER_BYTES);
    private final int maxBody;
    private final ByteBuffer body;
    private int status;
    private String location;
    private boolean headersDone;
    private boolean complete;
    private boolean malformed;
    private boolean cutShort;
    private boolean interim;

    ProbeAnswer(int maxBody) {
        this.maxBody = maxBody;
        this.body = ByteBuffer.allocate(maxBody);
    }

    /** Parses {@code n} bytes of {@code bytes}; a negative {@code n} is the end of the connection. */
    void feed(byte[] bytes, int n) {
        ByteBuffer in = n < 0 ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(bytes, 0, n);
        if (n < 0) {
            parser.atEOF();
        }
        do {
            parser.parseNext(in);
            if (interim) { // a 1xx answer ended: the real one follows on the same connection
                interim = false;
                headersDone = false;
                status = 0;
                location = null;
                parser.reset();
                if (n < 0) {
                    parser.atEOF();
                }
            }
        } while (in.hasRemaining() && !ended() && !bodyDone());
        if (n < 0 && !ended()) { // no more bytes can come
            cutShort = headersDone;
            complete = !headersDone;
        }
    }

    boolean headersDone() {
        return headersDone;
    }

    /** Whether as much of the body as is wanted has arrived (or all of it). */
    boolean bodyDone() {
        return complete || body.position() >= maxBody;
    }

    /** Whether nothing more will be parsed: the answer is complete, broken or ended early. */
    boolean ended() {
        return complete || malformed || cutShort;
    }

    boolean malformed() {
        return malformed;
    }

    /** Whether the connection ended inside the body (fewer bytes than announced). */
    boolean cutShort() {
        return cutShort && body.position() < maxBody;
    }

    int status() {
        return status;
    }

    /** The first {@code Location} header, or null. */
    String location() {
        return location;
    }

    String body() {
        return new String(body.array(), 0, body.position(), StandardCharsets.UTF_8);
    }

    @Override
    public void startResponse(HttpVersion version, int status, String reason) {
        this.status = status;
    }

    @Override
    public void parsedHeader(HttpField field) {
        if (location == null && "location".equalsIgnoreCase(field.getName())) {
            location = field.getValue();
        }
    }

    @Override
    public boolean headerComplete() {
        if (status < 100 || status >= 200 || status == 101) {
            headersDone = true;
        }
        return false;
    }

    @Override
    public boolean content(ByteBuffer chunk) {
        int take = Math.min(chunk.remaining(), body.remaining());
        body.put(body.position(), chunk, chunk.position(), take);
        body.position(body.position() + take);
        return body.position() >= maxBody;
    }

    @Override
    public boolean contentComplete() {
        return false;
    }

    @Override
    public boolean messageComplete() {
        if (status >= 100 && status < 200 && status != 101) {
            interim = true;
        } else {
            complete = true;
        }
        return true;
    }

    @Override
    public void earlyEOF() {
        cutShort = headersDone;
        complete = !headersDone;
    }

    @Override
    public void badMessage(HttpException failure) {
        malformed = true;
    }
}
