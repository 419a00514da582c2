package io.podvisor.apiserver.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Function;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Port-forward with SPDY tunnelled in a WebSocket (subprotocol {@code SPDY/3.1+portforward.k8s.io},
 * what kubectl 1.31 and later try first): the binary messages, concatenated, are one SPDY/3.1
 * connection in each direction, served by {@link SpdyPortForward}.
 *
 * <p>Public because Jetty's WebSocket layer requires public endpoint classes.
 */
public final class PortForwardTunnel implements Session.Listener.AutoDemanding {

    private final Function<SpdyPortForward.Outbound, SpdyPortForward> protocol;
    private volatile SpdyPortForward spdy;

    PortForwardTunnel(Function<SpdyPortForward.Outbound, SpdyPortForward> protocol) {
        this.protocol = protocol;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        spdy = protocol.apply(bytes -> send(session, bytes));
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        spdy.receive(payload);
        callback.succeed();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        close();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        close();
    }

    private void close() {
        SpdyPortForward s = spdy;
        if (s != null) {
            s.close();
        }
    }

    private static void send(Session session, byte[] bytes) throws IOException {
        WebSocketSends.binary(session, ByteBuffer.wrap(bytes));
    }
}
