package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.Event;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.events.EventSink;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry.Part;
import io.podvisor.apiserver.registry.Registry.WriteOptions;
import java.util.List;

/**
 * An {@link EventSink} writing core/v1 Events into the registry. Calls only enqueue (one executor
 * key, so writes keep their order); the write creates, or updates and creates when the event
 * expired meanwhile. Failures are dropped: events are best effort.
 */
final class StoreEventSink implements EventSink {

    private static final String KEY = "event-writer";

    private final Context ctx;
    private final Registries registry;

    StoreEventSink(Context ctx, Registries registry) {
        this.ctx = ctx;
        this.registry = registry;
    }

    @Override
    public void create(Event event) {
        ctx.executor.execute(KEY, () -> write(event, true));
    }

    @Override
    public void update(Event event) {
        ctx.executor.execute(KEY, () -> write(event, false));
    }

    private void write(Event event, boolean create) {
        try {
            if (create) {
                try {
                    createNow(event);
                } catch (ApiException.AlreadyExists e) {
                    updateNow(event);
                }
            } else {
                try {
                    updateNow(event);
                } catch (ApiException.NotFound e) {
                    createNow(event);
                }
            }
        } catch (ApiException e) {
            // best effort: an event that cannot be written is dropped
        }
    }

    private void createNow(Event event) {
        Event copy = (Event) ctx.codec.copy(ResourceTypes.EVENTS, event);
        copy.getMetadata().setResourceVersion(null);
        registry.createObject(ResourceTypes.EVENTS, copy.getMetadata().getNamespace(), copy, WriteOptions.DEFAULT, List.of());
    }

    private void updateNow(Event event) {
        Event copy = (Event) ctx.codec.copy(ResourceTypes.EVENTS, event);
        copy.getMetadata().setResourceVersion(null);
        copy.getMetadata().setUid(null);
        registry.updateObject(ResourceTypes.EVENTS, copy.getMetadata().getNamespace(), copy.getMetadata().getName(), copy,
                Part.MAIN);
    }
}
