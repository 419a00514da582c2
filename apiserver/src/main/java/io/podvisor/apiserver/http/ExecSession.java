package io.podvisor.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.api.errors.ApiException;
import io.podvisor.core.TerminalSizes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * One exec over the Kubernetes channel protocol (kubectl-wire §8.1): binary frames whose first
 * byte is the channel (text frames read as their UTF-8 bytes). In: 0 stdin, 4 resize ({@code {"Width":…,"Height":…}}), and with v5 {@code 0xFF 0x00} closes
 * stdin. Out: 1 stdout, 2 stderr, 3 the final Status. The command runs on its own virtual
 * thread; the session closes after the Status.
 *
 * <p>Public because Jetty's WebSocket layer requires public endpoint classes.
 */
public final class ExecSession implements Session.Listener.AutoDemanding {

    /** What to run, as the request asked. */
    record Request(Pod pod, String container, List<String> command, boolean stdin, boolean stdout, boolean stderr,
            boolean tty, boolean attach) {

        /** An exec of {@code command}. */
        Request(Pod pod, String container, List<String> command, boolean stdin, boolean stdout, boolean stderr,
                boolean tty) {
            this(pod, container, command, stdin, stdout, stderr, tty, false);
        }
    }

    private static final int MAX_FRAME = 32 * 1024;

    private final ContainerStreams streams;
    private final Request request;
    private final boolean v5;
    private final StdinPipe stdin = new StdinPipe();
    private final TerminalSizes sizes = new TerminalSizes();
    private volatile Session session;

    ExecSession(ContainerStreams streams, Request request, boolean v5) {
        this.streams = streams;
        this.request = request;
        this.v5 = v5;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        Thread.ofVirtual().name("exec-" + request.pod().getMetadata().getName()).start(this::run);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        receive(payload);
        callback.succeed();
    }

    /**
     * A text frame is read as the same bytes (its UTF-8): clients that write strings (the Python
     * client writes stdin so: {@code chr(0) + data}) send them as text, and Go's server reads both
     * kinds of frame alike.
     */
    @Override
    public void onWebSocketText(String payload) {
        receive(ByteBuffer.wrap(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private void receive(ByteBuffer payload) {
        if (payload.hasRemaining()) {
            int channel = payload.get() & 0xff;
            if (channel == 0) {
                byte[] data = new byte[payload.remaining()];
                payload.get(data);
                stdin.offer(data, 0, data.length);
            } else if (channel == 4) {
                resize(payload);
            } else if (channel == 0xff && v5 && payload.hasRemaining() && payload.get() == 0) {
                stdin.close();
            }
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        stdin.close();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        stdin.close();
    }

    private void run() {
        ObjectNode status;
        try {
            OutputStream out = new ChannelOutput(1);
            OutputStream err = request.stderr() ? new ChannelOutput(2)
                    : request.tty() ? out : OutputStream.nullOutputStream();
            int code = 0;
            if (request.attach()) {
                streams.attach(request.pod(), request.container(), request.stdin() ? stdin : null,
                        request.stdout() ? out : OutputStream.nullOutputStream(), err, sizes);
            } else {
                code = streams.exec(request.pod(), request.container(), request.command(),
                        request.stdin() ? stdin : null, request.stdout() ? out : OutputStream.nullOutputStream(), err,
                        request.tty(), sizes);
            }
            status = code == 0 ? success() : nonZeroExit(request.command(), code);
        } catch (ApiException e) {
            status = Json.status(e.toStatus());
        } catch (IOException | RuntimeException e) {
            status = Json.status(new ApiException.Internal(String.valueOf(e.getMessage())).toStatus());
        }
        try {
            byte[] json = Json.bytes(status);
            send(3, json, 0, json.length);
        } catch (IOException ignored) {
            // the client is gone; nothing left to tell it
        }
        session.close(StatusCode.NORMAL, "", Callback.NOOP);
    }

    /** A resize message: {@code {"Width":…,"Height":…}}; one that does not parse is ignored, as upstream's. */
    private void resize(ByteBuffer payload) {
        byte[] data = new byte[payload.remaining()];
        payload.get(data);
        try {
            com.fasterxml.jackson.databind.JsonNode size = Json.MAPPER.readTree(data);
            int width = size.path("Width").asInt(0);
            int height = size.path("Height").asInt(0);
            if (width > 0 && height > 0) {
                sizes.resize(new TerminalSizes.Size(width, height));
            }
        } catch (IOException | RuntimeException e) {
            // not a size
        }
    }

    static ObjectNode success() {
        ObjectNode s = Json.object();
        s.set("metadata", Json.object());
        s.put("status", "Success");
        return s;
    }

    static ObjectNode nonZeroExit(List<String> command, int code) {
        ObjectNode s = Json.object();
        s.set("metadata", Json.object());
        s.put("status", "Failure");
        s.put("message", "command terminated with non-zero exit code: error executing command "
                + "[" + String.join(" ", command) + "], exit code " + code);
        s.put("reason", "NonZeroExitCode");
        ObjectNode cause = s.putObject("details").putArray("causes").addObject();
        cause.put("reason", "ExitCode");
        cause.put("message", Integer.toString(code));
        return s;
    }

    private synchronized void send(int channel, byte[] data, int off, int len) throws IOException {
        Session s = session;
        if (s == null || !s.isOpen()) {
            throw new IOException("exec stream closed");
        }
        ByteBuffer frame = ByteBuffer.allocate(len + 1).put((byte) channel).put(data, off, len).flip();
        CompletableFuture<Void> done = new CompletableFuture<>();
        s.sendBinary(frame, Callback.from(() -> done.complete(null), done::completeExceptionally));
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        } catch (ExecutionException e) {
            throw new IOException("exec stream write failed", e.getCause());
        }
    }

    /** An output channel: each write becomes one or more frames. */
    private final class ChannelOutput extends OutputStream {
        private final int channel;

        ChannelOutput(int channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int at = off; at < off + len; at += MAX_FRAME) {
                send(channel, b, at, Math.min(MAX_FRAME, off + len - at));
            }
        }
    }
}
