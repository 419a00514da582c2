package io.podvisor.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.client.ObjectClient.Subscription;
import io.podvisor.api.client.ObjectClient.WatchHandler;
import io.podvisor.api.errors.ApiException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An {@link ObjectClient} passing every call to a real one, whose resumable watches
 * ({@code watchFrom}, as informers open them) a test can disturb as a network and a busy API
 * server do: end them all with 410 Gone ({@link #expireWatches}), or hold back the events of one
 * type while writes go on ({@link #holdEvents}, {@link #releaseEvents}). Not thread-safe: drive it
 * from the test thread and a {@code DeterministicExecutor}.
 */
public final class WatchFaults {

    private record Held(FaultyWatch watch, String type, HasMetadata object) {}

    private final ObjectClient client;
    private final List<FaultyWatch> open = new ArrayList<>();
    private final Set<Class<?>> heldTypes = new HashSet<>();
    private final List<Held> held = new ArrayList<>();

    public WatchFaults(ObjectClient delegate) {
        this.client = ClientProxies.intercept(delegate, (method, args, proceed) ->
                method.getName().equals("watchFrom") ? watchFrom(delegate, args) : proceed.call());
    }

    /** The client whose watches this disturbs. */
    public ObjectClient client() {
        return client;
    }

    /**
     * Ends every open {@code watchFrom} with 410 Gone, as when a watcher fell out of the server's
     * history: its informer lists again, and what changed until then reaches it only through that list.
     */
    public void expireWatches() {
        List<FaultyWatch> expired = List.copyOf(open);
        open.clear();
        for (FaultyWatch w : expired) {
            w.subscription.close();
            w.closed = true;
            w.handler.onClosed(new ApiException.Gone("too old resource version"));
        }
    }

    /** Holds back the watch events of {@code type} until {@link #releaseEvents()}: a watcher that lags behind. */
    public void holdEvents(Class<? extends HasMetadata> type) {
        heldTypes.add(type);
    }

    /** Delivers the held-back events in their order and stops holding. */
    public void releaseEvents() {
        heldTypes.clear();
        List<Held> due = List.copyOf(held);
        held.clear();
        for (Held h : due) {
            if (!h.watch().closed) {
                h.watch().handler.onEvent(h.type(), h.object());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Subscription watchFrom(ObjectClient delegate, Object[] args) {
        Class<? extends HasMetadata> type = (Class<? extends HasMetadata>) args[0];
        FaultyWatch w = new FaultyWatch((WatchHandler<HasMetadata>) args[5]);
        WatchHandler<HasMetadata> relay = new WatchHandler<>() {
            @Override
            public void onEvent(String eventType, HasMetadata object) {
                if (w.closed) {
                    return;
                }
                if (heldTypes.contains(type)) {
                    held.add(new Held(w, eventType, object));
                } else {
                    w.handler.onEvent(eventType, object);
                }
            }

            @Override
            public void onClosed(RuntimeException cause) {
                if (!w.closed) {
                    w.closed = true;
                    open.remove(w);
                    w.handler.onClosed(cause);
                }
            }
        };
        w.subscription = delegate.watchFrom((Class<HasMetadata>) type, (String) args[1], (String) args[2],
                (String) args[3], (String) args[4], relay);
        open.add(w);
        return () -> {
            w.closed = true;
            open.remove(w);
            w.subscription.close();
        };
    }

    private static final class FaultyWatch {
        final WatchHandler<HasMetadata> handler;
        Subscription subscription;
        boolean closed;

        FaultyWatch(WatchHandler<HasMetadata> handler) {
            this.handler = handler;
        }
    }
}
