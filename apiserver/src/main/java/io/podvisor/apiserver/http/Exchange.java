package io.podvisor.apiserver.http;

import io.podvisor.api.errors.ApiException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
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
