package io.podvisor.apiserver.http;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * What Jetty itself answers (a request it cannot parse, a URI or header block over the limit, a
 * failure before the API's handler runs) as a Kubernetes {@code Status} in JSON, for every method,
 * instead of Jetty's HTML page: the code Jetty chose, upstream's reason for it, and Jetty's message.
 */
final class StatusErrorHandler extends ErrorHandler {

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "BadRequest"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "NotFound"), Map.entry(405, "MethodNotAllowed"), Map.entry(406, "NotAcceptable"),
            Map.entry(408, "Timeout"), Map.entry(409, "Conflict"), Map.entry(410, "Gone"),
            Map.entry(413, "RequestEntityTooLarge"), Map.entry(415, "UnsupportedMediaType"),
            Map.entry(422, "Invalid"), Map.entry(429, "TooManyRequests"), Map.entry(500, "InternalError"),
            Map.entry(503, "ServiceUnavailable"), Map.entry(504, "Timeout"));

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        byte[] body = body(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Exchange.JSON);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int code, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Exchange.JSON);
        return ByteBuffer.wrap(body(code, reason));
    }

    static byte[] body(int code, String message) {
        String text = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        return Json.bytes(Json.status(new StatusBuilder().withNewMetadata().endMetadata().withStatus("Failure")
                .withMessage(text).withReason(REASONS.get(code)).withCode(code).build()));
    }
}
