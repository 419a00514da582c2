package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.apiserver.registry.Registry.WatchEvent;
import io.podvisor.apiserver.registry.Registry.WatchHandle;
import io.podvisor.apiserver.select.Selection;
import io.podvisor.core.Clock;
import io.podvisor.store.Store;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One running watch: turns store events into API watch events for one selection, as upstream's
 * watch cache does: an object that starts matching is ADDED, one that stops matching is DELETED
 * (its previous state at the event's revision), a removed object is DELETED with its last state at
 * the deletion revision. Optionally sends a BOOKMARK every minute of the clock with the last
 * revision this watch has seen. Sink calls are serialized; a sink that throws ends the watch.
 */
final class WatchSubscription implements WatchHandle {

    static final Duration BOOKMARK_PERIOD = Duration.ofSeconds(60);

    private final ResourceType type;
    private final Selection selection;
    private final Consumer<WatchEvent> sink;
    private final ObjectCodec codec;
    private final Clock clock;
    private long lastRevision;
    private boolean closed;
    private Store.Watch storeWatch;
    private Clock.Timer bookmarkTimer;

    WatchSubscription(ResourceType type, Selection selection, Consumer<WatchEvent> sink, ObjectCodec codec, Clock clock,
            long startRevision) {
        this.type = type;
        this.selection = selection;
        this.sink = sink;
        this.codec = codec;
        this.clock = clock;
        this.lastRevision = startRevision;
    }

    synchronized void attach(Store.Watch watch) {
        this.storeWatch = watch;
        if (closed) {
            watch.close();
        }
    }

    synchronized void startBookmarks() {
        if (!closed) {
            bookmarkTimer = clock.schedule(BOOKMARK_PERIOD, this::bookmark);
        }
    }

    /** Sends one event now (the synthetic ADDED events before the store watch starts). */
    synchronized void emit(String eventType, HasMetadata object) {
        if (closed) {
            return;
        }
        try {
            sink.accept(new WatchEvent(eventType, object));
        } catch (RuntimeException e) {
            close();
        }
    }

    void onStoreEvent(Store.Event event) {
        synchronized (this) {
            if (closed) {
                return;
            }
            lastRevision = event.revision();
        }
        WatchEvent out = translate(event);
        if (out != null) {
            emit(out.type(), (HasMetadata) out.object());
        }
    }

    private WatchEvent translate(Store.Event event) {
        if (event.type() == Store.EventType.DELETE) {
            HasMetadata last = codec.decode(type, event.entry());
            return selection.matches(last) ? new WatchEvent("DELETED", last) : null;
        }
        HasMetadata current = codec.decode(type, event.entry());
        boolean now = selection.matches(current);
        if (event.previous() == null) {
            return now ? new WatchEvent("ADDED", current) : null;
        }
        if (selection.isEverything()) {
            return new WatchEvent("MODIFIED", current);
        }
        HasMetadata previous = codec.decode(type, event.previous());
        boolean before = selection.matches(previous);
        if (now) {
            return new WatchEvent(before ? "MODIFIED" : "ADDED", current);
        }
        return before ? new WatchEvent("DELETED", codec.withRevision(type, previous, event.revision())) : null;
    }

    private void bookmark() {
        long revision;
        synchronized (this) {
            if (closed) {
                return;
            }
            revision = lastRevision;
        }
        emit("BOOKMARK", codec.bookmark(type, revision));
        startBookmarks();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (storeWatch != null) {
            storeWatch.close();
        }
        if (bookmarkTimer != null) {
            bookmarkTimer.cancel();
        }
    }
}
