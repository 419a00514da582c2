package io.podvisor.apiserver.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port-forward over the channel protocol ({@code v4.channel.k8s.io}, or its base64 text form
 * {@code v4.base64.channel.k8s.io}) that the Python, JavaScript and Java clients use: one connection
 * per requested port, opened at once; port {@code i} has data channel {@code 2i} and error channel
 * {@code 2i+1}, the first message on each being the port as two bytes little-endian; a message's first
 * byte (base64: first character) is its channel. The WebSocket closes once every connection ended.
 *
 * <p>Public because Jetty's WebSocket layer requires public endpoint classes.
 */
public final class ChannelPortForward implements Session.Listener.AutoDemanding {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelPortForward.class);

    private final PodDialer dialer;
    private final String podId;
    private final List<Integer> ports;
    private final boolean base64;
    private final List<PodConnection> connections = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private volatile Session session;

    ChannelPortForward(PodDialer dialer, String podId, List<Integer> ports, boolean base64) {
        this.dialer = dialer;
        this.podId = podId;
        this.ports = List.copyOf(ports);
        this.base64 = base64;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        open.set(ports.size());
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            int dataChannel = 2 * i;
            byte[] portBytes = {(byte) port, (byte) (port >>> 8)};
            send(dataChannel, portBytes, 2);
            send(dataChannel + 1, portBytes, 2);
            connections.add(new PodConnection(dialer, podId, port, new PodConnection.Client() {
                @Override
                public void data(byte[] bytes, int len) {
                    send(dataChannel, bytes, len);
                }

                @Override
                public void end() {
                    // the channel protocol has no end of a channel: the WebSocket's close ends all
                }

                @Override
                public void error(String message) {
                    byte[] b = message.getBytes(StandardCharsets.UTF_8);
                    send(dataChannel + 1, b, b.length);
                }

                @Override
                public void done() {
                    if (open.decrementAndGet() == 0) {
                        session.close(StatusCode.NORMAL, "", Callback.NOOP);
                    }
                }
            }));
        }
        connections.forEach(PodConnection::start);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        if (payload.hasRemaining()) {
            int channel = payload.get() & 0xff;
            byte[] data = new byte[payload.remaining()];
            payload.get(data);
            fromClient(channel, data);
        }
        callback.succeed();
    }

    @Override
    public void onWebSocketText(String message) {
        if (!message.isEmpty()) {
            try {
                fromClient(message.charAt(0) - '0', Base64.getDecoder().decode(message.substring(1)));
            } catch (IllegalArgumentException e) {
                LOG.debug("port-forward: a text message that is not base64", e);
            }
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        connections.forEach(PodConnection::abort);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        connections.forEach(PodConnection::abort);
    }

    private void fromClient(int channel, byte[] data) {
        // only data channels are read
        if (channel % 2 == 0 && channel / 2 < connections.size()) {
            connections.get(channel / 2).fromClient(data, false);
        }
    }

    private synchronized void send(int channel, byte[] data, int len) {
        Session s = session;
        try {
            if (base64) {
                String text = (char) ('0' + channel) + Base64.getEncoder().encodeToString(
                        java.util.Arrays.copyOf(data, len));
                WebSocketSends.text(s, text);
            } else {
                WebSocketSends.binary(s, ByteBuffer.allocate(len + 1).put((byte) channel).put(data, 0, len).flip());
            }
        } catch (IOException e) {
            LOG.debug("port-forward: the client is gone", e);
        }
    }
}
