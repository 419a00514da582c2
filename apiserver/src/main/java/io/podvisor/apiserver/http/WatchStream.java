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
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Serves a watch as chunked newline-delimited JSON ({@code {"type":…,"object":…}}), one flush per
 * event (kubectl-wire §6). In Table mode each object event carries a one-row Table; ERROR events
 * stay plain Status objects. The stream ends when the client goes away, after the timeout (a
 * {@link Clock} timer), or after an ERROR event; a {@code Gone} from the registry becomes a single
 * ERROR event with the 410 Status.
 */
final class WatchStream {

    /** The timeout when the request sets none (upstream picks 30–60 min). */
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    private static final Object END = new Object();

    private final Registry registry;
    private final Clock clock;

    WatchStream(Registry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** @param tables null for plain objects */
    void serve(Exchange ex, ResourceType type, Registry.ListOptions options, TableWriter tables, Duration timeout)
            throws IOException {
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        Registry.WatchHandle handle;
        try {
            handle = registry.watch(type, options, queue::add);
        } catch (ApiException.Gone gone) {
            ex.commit(200, Exchange.JSON);
            writeEvent(ex, "ERROR", Json.status(gone.toStatus()));
            ex.write(true, ByteBuffer.allocate(0));
            return;
        }
        Clock.Timer timer = clock.schedule(timeout, () -> queue.add(END));
        ex.request.addFailureListener(t -> queue.add(END));
        ex.request.addIdleTimeoutListener(t -> false);
        try {
            ex.commit(200, Exchange.JSON);
            pump(ex, queue, tables);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            handle.close();
            timer.cancel();
        }
        ex.write(true, ByteBuffer.allocate(0));
    }

    private void pump(Exchange ex, BlockingQueue<Object> queue, TableWriter tables) throws IOException, InterruptedException {
        while (true) {
            Object next = queue.take();
            if (next == END) {
                return;
            }
            Registry.WatchEvent event = (Registry.WatchEvent) next;
            writeEvent(ex, event.type(), encode(event, tables));
            if (event.type().equals("ERROR")) {
                return;
            }
        }
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

    private static void writeEvent(Exchange ex, String type, JsonNode object) throws IOException {
        ObjectNode line = Json.object();
        line.put("type", type);
        line.set("object", object);
        byte[] json = Json.bytes(line);
        ByteBuffer buf = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        ex.write(false, buf);
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
