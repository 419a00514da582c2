package io.podvisor.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.apiserver.registry.Registry;
import io.podvisor.core.Clock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a watch as chunked newline-delimited JSON ({@code {"type":…,"object":…}}), one flush per
 * event (kubectl-wire §6). In Table mode each object event carries a one-row Table; ERROR events
 * stay plain Status objects. The stream ends when the client goes away (seen at once, event or
 * not: {@link ClientDisconnect}), after the timeout (a {@link Clock} timer), after an ERROR event, or
 * when the server stops ({@link #stop}); a {@code Gone} from the registry becomes a single ERROR
 * event with the 410 Status. The connection closes with the watch ({@code Connection: close}).
 *
 * <p>Events are encoded as they arrive and wait in a buffer bounded by bytes and by count while
 * the client reads. A client that falls so far behind that a later event does not fit is cut off,
 * as kube-apiserver closes an unresponsive watcher: its watch ends, its connection is closed (a
 * write blocked on it fails), and it re-lists. Other watches and the writers never wait for it.
 * The initial ADDED events of a watch without a resourceVersion are not counted: they are the
 * listing the client asked for.
 */
final class WatchStream {

    private static final Logger LOG = LoggerFactory.getLogger(WatchStream.class);

    /** The timeout when the request sets none (upstream picks 30–60 min). */
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    /** How many encoded bytes a watch may have waiting for its client. */
    static final long DEFAULT_BUFFER_BYTES = 8L * 1024 * 1024;
    /** How many events a watch may have waiting for its client. */
    static final int DEFAULT_BUFFER_EVENTS = 10_000;

    /** One encoded event line; {@code last} ends the stream after it (an ERROR event). */
    private record Line(byte[] bytes, boolean last) {}

    private static final Line END = new Line(new byte[0], true);

    private final Registry registry;
    private final Clock clock;
    private final long bufferBytes;
    private final int bufferEvents;
    private final Set<Buffer> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    WatchStream(Registry registry, Clock clock) {
        this(registry, clock, DEFAULT_BUFFER_BYTES, DEFAULT_BUFFER_EVENTS);
    }

    WatchStream(Registry registry, Clock clock, long bufferBytes, int bufferEvents) {
        this.registry = registry;
        this.clock = clock;
        this.bufferBytes = bufferBytes;
        this.bufferEvents = bufferEvents;
    }

    /**
     * The encoded events waiting for one client. {@link #offer} never blocks: an event that does
     * not fit ends the watch through {@code overflow} instead (once).
     */
    private static final class Buffer {
        private final BlockingQueue<Line> queue = new LinkedBlockingQueue<>();
        private final long maxBytes;
        private final int maxEvents;
        private final Runnable overflow;
        private long bytes;
        private boolean counting;
        private boolean overflowed;

        Buffer(long maxBytes, int maxEvents, Runnable overflow) {
            this.maxBytes = maxBytes;
            this.maxEvents = maxEvents;
            this.overflow = overflow;
        }

        void offer(Line line) {
            synchronized (this) {
                if (overflowed) {
                    return;
                }
                if (counting && (bytes + line.bytes().length > maxBytes || queue.size() >= maxEvents)) {
                    overflowed = true;
                } else {
                    bytes += line.bytes().length;
                    queue.add(line);
                    return;
                }
            }
            overflow.run();
        }

        /** From now on the bounds apply (the initial listing is in). */
        synchronized void startCounting() {
            counting = true;
        }

        void end() {
            queue.add(END);
        }

        Line take() throws InterruptedException {
            Line line = queue.take();
            synchronized (this) {
                bytes -= line.bytes().length;
            }
            return line;
        }

        synchronized boolean overflowed() {
            return overflowed;
        }

        synchronized String describe() {
            return queue.size() + " events, " + bytes + " bytes waiting";
        }
    }

    /** Where a watch's encoded events go, each sent before the call returns. */
    private interface Output {
        void send(byte[] line) throws IOException;

        void end() throws IOException;
    }

    /** A started watch: its events' buffer, its subscription and its timeout. */
    private record Watch(Buffer buffer, Registry.WatchHandle handle, Clock.Timer timer) {}

    /** @param tables null for plain objects */
    void serve(Exchange ex, ResourceType type, Registry.ListOptions options, TableWriter tables, Duration timeout)
            throws IOException {
        Watch watch = start(ex, type, options, tables, timeout);
        ex.request.addFailureListener(t -> watch.buffer().end());
        ex.request.addIdleTimeoutListener(t -> false);
        // the read interest that sees the client go away stays behind: the connection ends with the watch
        ex.commitStream(200, Exchange.JSON);
        ClientDisconnect.notify(ex.request, watch.buffer()::end);
        run(watch, type, new Output() {
            @Override
            public void send(byte[] line) throws IOException {
                ex.writeChunk(line, 0, line.length);
            }

            @Override
            public void end() throws IOException {
                ex.endStream();
            }
        });
    }

    /**
     * A watch asked for with a WebSocket upgrade, as fabric8's client asks for every watch:
     * kube-apiserver then sends each event (the same JSON, newline included) as one text frame and
     * closes the WebSocket when the watch ends. A subprotocol the client offers is accepted, as
     * Go's {@code x/net/websocket} server echoes it; frames the client sends are ignored.
     */
    void serveWebSocket(Exchange ex, ResourceType type, Registry.ListOptions options, TableWriter tables,
            Duration timeout) {
        ServerWebSocketContainer container = ServerWebSocketContainer.get(ex.request.getContext());
        if (container == null) {
            throw new ApiException.BadRequest("unable to upgrade connection: WebSocket is not served here");
        }
        Watch watch = start(ex, type, options, tables, timeout);
        boolean upgraded;
        try {
            upgraded = container.upgrade((upReq, upResp, cb) -> {
                List<String> offered = upReq.getSubProtocols();
                if (!offered.isEmpty()) {
                    upResp.setAcceptedSubProtocol(offered.get(0));
                }
                return new WatchSocket(session -> Thread.ofVirtual().name("watch-" + type.plural())
                        .start(() -> run(watch, type, textFrames(session))), watch.buffer()::end);
            }, ex.request, ex.response, ex.callback);
        } catch (RuntimeException e) {
            finish(watch);
            throw e;
        }
        if (!upgraded) {
            finish(watch);
            throw new ApiException.BadRequest("Upgrade request required");
        }
        ex.detach();
    }

    /** Subscribes; a revision out of the history is a watch of one ERROR event with the 410 Status. */
    private Watch start(Exchange ex, ResourceType type, Registry.ListOptions options, TableWriter tables,
            Duration timeout) {
        AtomicReference<Registry.WatchHandle> handleRef = new AtomicReference<>();
        AtomicReference<Buffer> bufferRef = new AtomicReference<>();
        Buffer buffer = new Buffer(bufferBytes, bufferEvents, () -> cutOff(ex, type, handleRef.get(), bufferRef.get()));
        bufferRef.set(buffer);
        Registry.WatchHandle handle;
        try {
            handle = registry.watch(type, options, event -> buffer.offer(line(event, tables)));
        } catch (ApiException.Gone gone) {
            buffer.offer(new Line(line("ERROR", Json.status(gone.toStatus())), true));
            return new Watch(buffer, () -> { }, () -> { });
        }
        handleRef.set(handle);
        buffer.startCounting();
        if (buffer.overflowed()) {
            handle.close();
        }
        Clock.Timer timer = clock.schedule(timeout, buffer::end);
        open.add(buffer);
        if (stopped) {
            buffer.end();
        }
        return new Watch(buffer, handle, timer);
    }

    /** Sends the watch's events until it ends, then ends the output. */
    private void run(Watch watch, ResourceType type, Output out) {
        try {
            pump(out, watch.buffer());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("the client of a watch of {} went away: {}", type.plural(), e.toString());
        } finally {
            finish(watch);
        }
        try {
            out.end();
        } catch (IOException e) {
            LOG.debug("the client of a watch of {} went away: {}", type.plural(), e.toString());
        }
    }

    private void finish(Watch watch) {
        open.remove(watch.buffer());
        watch.handle().close();
        watch.timer().cancel();
    }

    /** Each line as one text frame; the end closes the WebSocket normally. */
    private static Output textFrames(Session session) {
        return new Output() {
            @Override
            public void send(byte[] line) throws IOException {
                CompletableFuture<Void> sent = new CompletableFuture<>();
                session.sendText(new String(line, StandardCharsets.UTF_8),
                        Callback.from(() -> sent.complete(null), sent::completeExceptionally));
                try {
                    sent.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                } catch (ExecutionException e) {
                    throw new IOException("sending a watch event failed", e.getCause());
                }
            }

            @Override
            public void end() {
                session.close(StatusCode.NORMAL, "", Callback.NOOP);
            }
        };
    }

    /**
     * Ends every open watch, as a stopping server does: each answer gets its last chunk and its
     * connection closes. Watches that start later end at once.
     */
    void stop() {
        stopped = true;
        open.forEach(Buffer::end);
    }

    /** Ends a watch whose client fell behind: no more events, and its connection closed. */
    private static void cutOff(Exchange ex, ResourceType type, Registry.WatchHandle handle, Buffer buffer) {
        LOG.info("closing a watch of {} whose client is not reading ({}); it will have to re-list",
                type.plural(), buffer.describe());
        if (handle != null) {
            handle.close();
        }
        buffer.end();
        ex.request.getConnectionMetaData().getConnection().getEndPoint().close();
    }

    private static void pump(Output out, Buffer buffer) throws IOException, InterruptedException {
        while (true) {
            Line next = buffer.take();
            if (next == END) {
                return;
            }
            out.send(next.bytes());
            if (next.last()) {
                return;
            }
        }
    }

    private static Line line(Registry.WatchEvent event, TableWriter tables) {
        return new Line(line(event.type(), encode(event, tables)), event.type().equals("ERROR"));
    }

    private static JsonNode encode(Registry.WatchEvent event, TableWriter tables) {
        Object o = event.object();
        if (o instanceof Status status) {
            return Json.status(status);
        }
        if (tables == null || !(o instanceof HasMetadata object)) {
            return Json.tree(o);
        }
        if (event.type().equals("BOOKMARK")) {
            String rv = object.getMetadata() == null ? null : object.getMetadata().getResourceVersion();
            return tables.table(List.of(), rv, null, null);
        }
        return tables.table(List.of(object), object.getMetadata().getResourceVersion(), null, null);
    }

    private static byte[] line(String type, JsonNode object) {
        ObjectNode line = Json.object();
        line.put("type", type);
        line.set("object", object);
        byte[] json = Json.bytes(line);
        byte[] out = Arrays.copyOf(json, json.length + 1);
        out[json.length] = '\n';
        return out;
    }

    /**
     * The watch timeout: the smaller of {@code timeoutSeconds} and the Go duration {@code timeout},
     * or {@link #DEFAULT_TIMEOUT}.
     */
    static Duration timeout(Long timeoutSeconds, String timeout) {
        Duration d = DEFAULT_TIMEOUT;
        boolean set = false;
        if (timeoutSeconds != null && timeoutSeconds > 0) {
            d = Duration.ofSeconds(timeoutSeconds);
            set = true;
        }
        if (timeout != null && !timeout.isEmpty()) {
            Duration t = GoDurations.parse(timeout);
            if (!t.isNegative() && !t.isZero() && (!set || t.compareTo(d) < 0)) {
                d = t;
            }
        }
        return d;
    }
}
