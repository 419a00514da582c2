package io.podvisor.apiserver.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * A {@link PodDialer} for a pod on another node: each connection is a WebSocket to that node's
 * kubelet, {@code /portForward/{namespace}/{pod}?port=P} with the channel protocol
 * ({@code v4.channel.k8s.io}): channel 0 carries the data, channel 1 the kubelet's error text, each
 * opened by the port; the kubelet closes the WebSocket when the pod's side ended.
 */
final class KubeletPortForward implements PodDialer {

    private final HttpClient http;
    private final String host;
    private final String base;
    private final Duration connectTimeout;

    /** @param base {@code wss://host:port/portForward/{namespace}/{pod}} */
    KubeletPortForward(HttpClient http, String host, String base, Duration connectTimeout) {
        this.http = http;
        this.host = host;
        this.base = base;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public Connection dial(int port) throws IOException {
        Remote remote = new Remote();
        try {
            remote.socket = http.newWebSocketBuilder().connectTimeout(connectTimeout).subprotocols(ExecEndpoint.V4)
                    .buildAsync(URI.create(base + "?port=" + port), remote).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            throw new IOException("error dialing backend: " + e.getCause().getMessage(), e.getCause());
        }
        return remote;
    }

    /** One connection through the kubelet. */
    private static final class Remote implements Connection, WebSocket.Listener {
        private final StdinPipe in = new StdinPipe();
        private final StringBuffer error = new StringBuffer();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private final boolean[] opened = new boolean[2];
        private volatile WebSocket socket;

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.writeBytes(b);
            if (last) {
                byte[] m = partial.toByteArray();
                partial.reset();
                if (m.length > 0 && (m[0] == 0 || m[0] == 1)) {
                    int ch = m[0];
                    if (!opened[ch]) {
                        opened[ch] = true; // the port, as every channel opens
                    } else if (ch == 0) {
                        in.offer(m, 1, m.length - 1);
                    } else {
                        error.append(new String(m, 1, m.length - 1, StandardCharsets.UTF_8));
                    }
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            in.close();
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable e) {
            in.close();
        }

        @Override
        public InputStream input() {
            return in;
        }

        @Override
        public OutputStream output() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    KubeletClient.send(socket, ByteBuffer.allocate(len + 1).put((byte) 0).put(b, off, len).flip());
                }
            };
        }

        @Override
        public void shutdownOutput() {
            // the channel protocol has no half-close
        }

        @Override
        public String error() {
            return error.toString();
        }

        @Override
        public void close() {
            WebSocket ws = socket;
            if (ws != null) {
                ws.abort();
            }
            in.close();
        }
    }
}
