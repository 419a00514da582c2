package io.podvisor.apiserver.http;

import io.podvisor.api.errors.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * One request and its response, with blocking helpers (handlers run on virtual threads): query
 * parameters, a size-limited body, JSON/text/Status answers and streamed answers. Whoever takes
 * over the Jetty callback (the WebSocket upgrade) marks the exchange {@link #detach() detached}.
 */
final class Exchange {

    /** The largest accepted request body (upstream's 3 MiB). */
    static final int MAX_BODY = 3 * 1024 * 1024;
    static final String JSON = "application/json";
    /** How much of an unread body an error answer reads first, so the client gets to read the answer. */
    private static final long DRAIN_LIMIT = 2L * MAX_BODY;

    final Request request;
    final Response response;
    final Callback callback;
    private final Query query;
    private boolean detached;
    private boolean framing;
    private InputStream body;
    private boolean bodyRead;

    Exchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.query = new Query(request.getHttpURI().getQuery());
    }

    String method() {
        return request.getMethod();
    }

    Query query() {
        return query;
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    /** The request body, at most {@link #MAX_BODY} bytes (413 beyond). */
    byte[] body() throws IOException {
        long declared = request.getLength();
        if (declared > MAX_BODY) {
            throw tooLarge();
        }
        InputStream in = bodyStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            if (out.size() > MAX_BODY) {
                throw tooLarge();
            }
        }
        bodyRead = true;
        return out.toByteArray();
    }

    /** The request body unread, as a stream, for a handler that passes it on (a proxy); no size limit. */
    InputStream bodyPassedOn() {
        bodyRead = true;
        return bodyStream();
    }

    private InputStream bodyStream() {
        if (body == null) {
            body = Content.Source.asInputStream(request);
        }
        return body;
    }

    /**
     * Before an error answer to a request whose body was not read (405, 413, early failures): reads
     * and drops what the client is still sending, so it is not cut off mid-send and can read the
     * answer; beyond {@link #DRAIN_LIMIT} the connection is closed after the answer instead.
     */
    private void drainUnreadBody() {
        if (bodyRead) {
            return;
        }
        try {
            InputStream in = bodyStream();
            byte[] buf = new byte[16384];
            long drained = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                drained += n;
                if (drained > DRAIN_LIMIT) {
                    response.getHeaders().put(HttpHeader.CONNECTION, "close");
                    return;
                }
            }
            bodyRead = true;
        } catch (IOException e) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
    }

    private static ApiException tooLarge() {
        return new ApiException.TooLarge("Request entity too large: limit is " + MAX_BODY);
    }

    /** Adds one {@code Warning: 299 - "<text>"} header per warning. */
    void warnings(List<String> warnings) {
        if (warnings == null) {
            return;
        }
        for (String w : warnings) {
            // line breaks become spaces, as Go writes header values
            String text = w.replace('\r', ' ').replace('\n', ' ').replace("\\", "\\\\").replace("\"", "\\\"");
            response.getHeaders().add("Warning", "299 - \"" + text + "\"");
        }
    }

    void sendJson(int code, Object body) throws IOException {
        send(code, JSON, Json.bytes(body));
    }

    void sendText(int code, String text) throws IOException {
        send(code, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    void sendError(ApiException e) throws IOException {
        drainUnreadBody();
        sendJson(e.code(), Json.status(e.toStatus()));
    }

    void send(int code, String contentType, byte[] body) throws IOException {
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        write(true, ByteBuffer.wrap(body));
    }

    /** Sends the status line and headers now (for streams whose first bytes may take a while). */
    void commit(int code, String contentType) throws IOException {
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        write(false, BufferUtil.EMPTY_BUFFER);
    }

    /**
     * Starts a long streamed answer (a watch, a followed log) whose connection closes when it ends.
     * Over HTTP/1.1 the body is chunked here rather than by Jetty: Jetty sends a chunk's closing
     * CRLF only in front of the next chunk, and a client that reads the CRLF before it hands the
     * chunk on (urllib3, so the Python client) would then stay one chunk behind. Each
     * {@link #writeChunk} is one whole chunk, size line, data and CRLF, in one write; Jetty, told
     * nothing of the framing, writes the body as it comes and closes the connection after it.
     */
    void commitStream(int code, String contentType) throws IOException {
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        if (request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1) {
            // a field of no known header: Jetty passes it on and frames nothing itself
            response.getHeaders().put(new HttpField(null, HttpHeader.TRANSFER_ENCODING.asString(), "chunked"));
            framing = true;
        }
        write(false, BufferUtil.EMPTY_BUFFER);
    }

    /** Sends {@code len} bytes as one chunk of a {@link #commitStream stream}; nothing when empty. */
    void writeChunk(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        if (!framing) {
            write(false, ByteBuffer.wrap(b, off, len));
            return;
        }
        byte[] size = (Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer chunk = ByteBuffer.allocate(size.length + len + 2);
        chunk.put(size).put(b, off, len).put((byte) '\r').put((byte) '\n').flip();
        write(false, chunk);
    }

    /** Ends a {@link #commitStream stream}: the last chunk, then the connection closes. */
    void endStream() throws IOException {
        if (framing) {
            framing = false;
            write(false, ByteBuffer.wrap("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        }
        write(true, BufferUtil.EMPTY_BUFFER);
    }

    /**
     * An output stream over a {@link #commitStream stream} committed at its first write (or at
     * close): each write is one chunk, sent at once. Until then the answer can still be an error.
     */
    OutputStream chunkStream(int code, String contentType) {
        return new OutputStream() {
            private boolean started;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                start();
                writeChunk(b, off, len);
            }

            @Override
            public void close() throws IOException {
                start();
                endStream();
            }

            private void start() throws IOException {
                if (!started) {
                    started = true;
                    commitStream(code, contentType);
                }
            }
        };
    }

    /** Writes a chunk of a streamed response and waits until it is sent. */
    void write(boolean last, ByteBuffer buf) throws IOException {
        try (Blocker.Callback cb = Blocker.callback()) {
            response.write(last, buf, cb);
            cb.block();
        }
    }

    /** An output stream over the response body; each write is sent (and flushed) at once. */
    OutputStream stream() {
        return Content.Sink.asOutputStream(response);
    }

    boolean committed() {
        return response.isCommitted();
    }

    void detach() {
        detached = true;
    }

    boolean detached() {
        return detached;
    }
}
