package io.podvisor.apiserver.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;

/**
 * The port's first protocol: TLS when the client starts a TLS handshake; otherwise, as Go's HTTP
 * server does, a plain HTTP request gets {@code HTTP/1.0 400 Bad Request} with the text
 * {@code Client sent an HTTP request to an HTTPS server.} and anything else is closed.
 */
final class TlsOnlyConnectionFactory extends DetectorConnectionFactory {

    static final String PLAIN_HTTP_ANSWER =
            "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n";
    /** The first five bytes Go takes for an HTTP request rather than a TLS record. */
    private static final Set<String> HTTP_STARTS = Set.of("GET /", "HEAD ", "POST ", "PUT /", "OPTIO");

    TlsOnlyConnectionFactory(SslConnectionFactory tls) {
        super(tls);
    }

    @Override
    protected void nextProtocol(Connector connector, EndPoint endPoint, ByteBuffer buffer) {
        if (looksLikeHttp(buffer)) {
            endPoint.write(Callback.from(endPoint::close),
                    ByteBuffer.wrap(PLAIN_HTTP_ANSWER.getBytes(StandardCharsets.US_ASCII)));
        } else {
            endPoint.close();
        }
    }

    private static boolean looksLikeHttp(ByteBuffer buffer) {
        if (buffer.remaining() < 5) {
            return false;
        }
        byte[] first = new byte[5];
        buffer.duplicate().get(first);
        return HTTP_STARTS.contains(new String(first, StandardCharsets.US_ASCII));
    }
}
