package io.podvisor.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.api.errors.ApiException;
import io.podvisor.apiserver.tls.KubeletCertificates;
import io.podvisor.core.Clock;
import io.podvisor.core.TerminalSizes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The API server's side of a kubelet on another node: {@code kubectl logs} and {@code exec} for
 * that node's pods go to its kubelet endpoint ({@link KubeletServer}), at the Node's
 * {@code InternalIP} and {@code status.daemonEndpoints.kubeletEndpoint.Port}, with the API server's
 * kubelet client certificate. Logs are a GET read as it arrives (a follow included) on the JDK's
 * HTTP client; exec is a WebSocket with the channel protocol on the JDK's WebSocket client. A
 * kubelet's refusal reaches the user with its code and text; a kubelet that cannot be reached
 * gives kube-apiserver's 500 texts ({@code Get "https://…": dial tcp …: connect: connection refused},
 * {@code error dialing backend: …}).
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class KubeletClient implements ContainerStreams {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_ERROR_BODY = 64 * 1024;

    /** How often a follow whose kubelet sends nothing looks whether its own client is still there. */
    static final Duration FOLLOW_CHECK = Duration.ofSeconds(1);

    private final Function<String, Node> nodes;
    private final HttpClient http;
    private final Clock clock;

    /**
     * @param nodes the Node of a name, or null
     * @param credential the API server's client certificate towards kubelets
     * @param clock times the checks of a quiet follow
     */
    public KubeletClient(Function<String, Node> nodes, KubeletCertificates.Credential credential, Clock clock) {
        this.nodes = nodes;
        this.clock = clock;
        this.http = HttpClient.newBuilder().sslContext(KubeletCertificates.acceptingAnyPeer(credential))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    @Override
    public void logs(Pod pod, String container, LogOptions o, OutputStream out) throws IOException {
        StringBuilder query = new StringBuilder();
        param(query, "follow", o.follow() ? "true" : null);
        param(query, "previous", o.previous() ? "true" : null);
        param(query, "timestamps", o.timestamps() ? "true" : null);
        param(query, "tailLines", o.tailLines());
        param(query, "sinceSeconds", o.sinceSeconds());
        param(query, "sinceTime", o.sinceTime());
        param(query, "limitBytes", o.limitBytes());
        URI uri = uri("https", pod, "containerLogs", container, query.toString());
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (IOException e) {
            throw new ApiException.Other(500, "", "Get \"" + uri + "\": " + goDialError(uri, e));
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw refusal(response.statusCode(), readAtMost(in));
            }
            if (!o.follow()) {
                in.transferTo(out);
                out.flush();
                return;
            }
            QuietFollowCheck check = new QuietFollowCheck(in, out);
            try {
                byte[] buf = new byte[16384];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (out) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                if (check.clientGone != null) {
                    throw check.clientGone;
                }
                throw e;
            } finally {
                check.stop();
            }
        }
    }

    /**
     * While a follow waits on a quiet kubelet, flushes its client's stream every
     * {@link #FOLLOW_CHECK} (the front's stream fails a flush once its client has gone,
     * {@link ClientWatchingStream}); then closes the kubelet's stream, so the read ends and the
     * kubelet, whose connection closes, releases its follower too.
     */
    private final class QuietFollowCheck {
        private final InputStream in;
        private final OutputStream out;
        private Clock.Timer timer;
        private boolean stopped;
        volatile IOException clientGone;

        QuietFollowCheck(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
            schedule();
        }

        private synchronized void schedule() {
            if (!stopped) {
                timer = clock.schedule(FOLLOW_CHECK, this::check);
            }
        }

        private void check() {
            try {
                synchronized (out) {
                    out.flush();
                }
                schedule();
            } catch (IOException e) {
                clientGone = e;
                try {
                    in.close();
                } catch (IOException ignored) {
                    // closing is all that is left to do
                }
            }
        }

        synchronized void stop() {
            stopped = true;
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    @Override
    public int exec(Pod pod, String container, List<String> command, InputStream stdin, OutputStream stdout,
            OutputStream stderr, boolean tty) throws IOException {
        return exec(pod, container, command, stdin, stdout, stderr, tty, new TerminalSizes());
    }

    @Override
    public int exec(Pod pod, String container, List<String> command, InputStream stdin, OutputStream stdout,
            OutputStream stderr, boolean tty, TerminalSizes sizes) throws IOException {
        return stream("exec", pod, container, command, stdin, stdout, stderr, tty, sizes);
    }

    /** The kubelet's {@code /attach/{namespace}/{pod}/{container}}; the kubelet decides on the terminal. */
    @Override
    public void attach(Pod pod, String container, InputStream stdin, OutputStream stdout, OutputStream stderr,
            TerminalSizes sizes) throws IOException {
        stream("attach", pod, container, List.of(), stdin, stdout, stderr, false, sizes);
    }

    /** An exec or attach session with the pod's kubelet; the command's exit code (0 for an attach). */
    private int stream(String path, Pod pod, String container, List<String> command, InputStream stdin,
            OutputStream stdout, OutputStream stderr, boolean tty, TerminalSizes sizes) throws IOException {
        StringBuilder query = new StringBuilder();
        command.forEach(c -> param(query, "command", c));
        param(query, "input", stdin != null ? "1" : null);
        param(query, "output", "1");
        param(query, "error", tty ? null : "1");
        param(query, "tty", tty ? "1" : null);
        URI uri = uri("wss", pod, path, container, query.toString());
        Channels channels = new Channels(stdout, stderr);
        WebSocket socket;
        try {
            socket = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT)
                    .subprotocols(ExecEndpoint.V5, ExecEndpoint.V4).buildAsync(uri, channels).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                HttpResponse<?> r = h.getResponse();
                Object body = r.body();
                String text = body instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
                        : body instanceof String str ? str : "";
                throw refusal(r.statusCode(), text);
            }
            Throwable cause = e.getCause() instanceof IOException io ? io : e.getCause();
            throw new ApiException.Other(500, "", "error dialing backend: " + goDialError(uri, cause));
        }
        boolean v5 = ExecEndpoint.V5.equals(socket.getSubprotocol());
        sizes.onResize(size -> {
            byte[] json = ("{\"Width\":" + size.width() + ",\"Height\":" + size.height() + "}")
                    .getBytes(StandardCharsets.UTF_8);
            try {
                send(socket, ByteBuffer.allocate(json.length + 1).put((byte) 4).put(json).flip());
            } catch (IOException e) {
                // the session ended
            }
        });
        Thread pump = stdin == null ? null : Thread.ofVirtual().name("exec-stdin-" + pod.getMetadata().getName())
                .start(() -> pumpStdin(socket, stdin, v5));
        try {
            return channels.exitCode(command);
        } finally {
            if (pump != null) {
                pump.interrupt();
            }
            socket.abort();
        }
    }

    private static void pumpStdin(WebSocket socket, InputStream stdin, boolean v5) {
        byte[] buf = new byte[16384];
        try {
            int n;
            while ((n = stdin.read(buf)) >= 0) {
                send(socket, ByteBuffer.allocate(n + 1).put((byte) 0).put(buf, 0, n).flip());
            }
            if (v5) {
                send(socket, ByteBuffer.wrap(new byte[] {(byte) 0xff, 0}));
            }
        } catch (IOException e) {
            // the session ended: nothing more to send
        }
    }

    /** One frame at a time (a WebSocket takes no second send before the first completed). */
    static void send(WebSocket socket, ByteBuffer frame) throws IOException {
        synchronized (socket) {
            try {
                socket.sendBinary(frame, true).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            }
        }
    }

    /** Frames in: stdout and stderr written on, the final Status kept; completes when the socket closes. */
    private static final class Channels implements WebSocket.Listener {
        private final OutputStream stdout;
        private final OutputStream stderr;
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> status = new CompletableFuture<>();
        private volatile byte[] lastStatus;

        Channels(OutputStream stdout, OutputStream stderr) {
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            message.writeBytes(bytes);
            if (last) {
                byte[] frame = message.toByteArray();
                message.reset();
                try {
                    deliver(frame);
                } catch (IOException e) {
                    status.completeExceptionally(e);
                    ws.abort();
                    return null;
                }
            }
            ws.request(1);
            return null;
        }

        private void deliver(byte[] frame) throws IOException {
            if (frame.length == 0) {
                return;
            }
            int channel = frame[0] & 0xff;
            switch (channel) {
                case 1 -> stdout.write(frame, 1, frame.length - 1);
                case 2 -> stderr.write(frame, 1, frame.length - 1);
                case 3 -> lastStatus = java.util.Arrays.copyOfRange(frame, 1, frame.length);
                default -> { }
            }
            if (channel == 1) {
                stdout.flush();
            } else if (channel == 2) {
                stderr.flush();
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            status.complete(lastStatus);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            if (lastStatus != null) {
                status.complete(lastStatus);
            } else {
                status.completeExceptionally(error);
            }
        }

        /** Waits for the end; the command's exit code, or the failure the kubelet reported. */
        int exitCode(List<String> command) throws IOException {
            byte[] json;
            try {
                json = status.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            if (json == null) {
                throw new IOException("the kubelet closed the exec stream without a status");
            }
            JsonNode s = Json.MAPPER.readTree(json);
            if ("Success".equals(s.path("status").asText())) {
                return 0;
            }
            if ("NonZeroExitCode".equals(s.path("reason").asText())) {
                for (JsonNode cause : s.path("details").path("causes")) {
                    if ("ExitCode".equals(cause.path("reason").asText())) {
                        return Integer.parseInt(cause.path("message").asText());
                    }
                }
            }
            Status st = Json.MAPPER.treeToValue(s, Status.class);
            throw ApiException.fromStatus(st, st.getCode() == null ? 500 : st.getCode());
        }
    }

    /**
     * The usage node {@code nodeName}'s kubelet reports in its {@code /stats/summary}; none when
     * the Node is unknown or its kubelet cannot be reached or answers otherwise (as metrics-server
     * skips a node it fails to scrape).
     */
    public io.podvisor.api.client.ResourceMetrics metrics(String nodeName) {
        Node node = nodes.apply(nodeName);
        if (node == null) {
            return io.podvisor.api.client.ResourceMetrics.NONE;
        }
        try {
            URI uri = URI.create("https://" + hostPort(node) + "/stats/summary");
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(SUMMARY_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return io.podvisor.api.client.ResourceMetrics.NONE;
            }
            return StatsSummary.read(Json.MAPPER.readTree(response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return io.podvisor.api.client.ResourceMetrics.NONE;
        } catch (IOException | RuntimeException e) {
            return io.podvisor.api.client.ResourceMetrics.NONE;
        }
    }

    /** How long a summary may take, as metrics-server's default {@code --kubelet-request-timeout}. */
    private static final Duration SUMMARY_TIMEOUT = Duration.ofSeconds(10);

    /** A kubelet's refusal: its code and text, as kube-apiserver passes them on. */
    private static ApiException refusal(int code, String text) {
        Status s = new Status();
        s.setCode(code);
        s.setMessage(text.strip());
        return ApiException.fromStatus(s, code);
    }

    private static String readAtMost(InputStream in) throws IOException {
        return new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
    }

    /** Go's text for a failed dial, as kube-apiserver shows it. */
    private static String goDialError(URI uri, Throwable e) {
        String target = "dial tcp " + uri.getHost() + ":" + uri.getPort();
        if (e instanceof HttpConnectTimeoutException) {
            return target + ": i/o timeout";
        }
        if (e instanceof ConnectException) {
            return target + ": connect: connection refused";
        }
        return String.valueOf(e.getMessage());
    }

    /** The URI of {@code path} on the kubelet of the pod's node. */
    /** Port-forward to {@code pod} through its node's kubelet ({@code /portForward/{namespace}/{pod}}). */
    PodDialer portForwardDialer(Pod pod) {
        String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        Node node = nodes.apply(nodeName);
        if (node == null) {
            throw new ApiException.NotFound("", "nodes", nodeName);
        }
        return new KubeletPortForward(http, address(node), "wss://" + hostPort(node) + "/portForward/"
                + segment(pod.getMetadata().getNamespace()) + "/" + segment(pod.getMetadata().getName()), CONNECT_TIMEOUT);
    }

    private URI uri(String scheme, Pod pod, String path, String container, String query) {
        String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        Node node = nodes.apply(nodeName);
        if (node == null) {
            throw new ApiException.NotFound("", "nodes", nodeName);
        }
        return URI.create(scheme + "://" + hostPort(node) + "/" + path + "/" + segment(pod.getMetadata().getNamespace())
                + "/" + segment(pod.getMetadata().getName()) + "/" + segment(container) + (query.isEmpty() ? "" : "?" + query));
    }

    /** {@code host:port} of the node's kubelet endpoint (10250 when the Node names none). */
    private static String hostPort(Node node) {
        String host = address(node);
        int port = node.getStatus() != null && node.getStatus().getDaemonEndpoints() != null
                && node.getStatus().getDaemonEndpoints().getKubeletEndpoint() != null
                && node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort() != null
                ? node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort() : 10250;
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The node's InternalIP, else its first address; upstream's message when it has none. */
    private static String address(Node node) {
        List<NodeAddress> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null
                ? List.of() : node.getStatus().getAddresses();
        List<String> ordered = new ArrayList<>();
        addresses.stream().filter(a -> "InternalIP".equals(a.getType())).forEach(a -> ordered.add(a.getAddress()));
        addresses.stream().filter(a -> !"InternalIP".equals(a.getType())).forEach(a -> ordered.add(a.getAddress()));
        if (ordered.isEmpty()) {
            throw new ApiException.Other(500, "", "no preferred addresses found; known addresses: []");
        }
        return ordered.getFirst();
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void param(StringBuilder q, String name, Object value) {
        if (value == null) {
            return;
        }
        if (!q.isEmpty()) {
            q.append('&');
        }
        q.append(name).append('=').append(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
    }
}
