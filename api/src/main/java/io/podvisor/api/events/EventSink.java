package io.podvisor.api.events;

import io.fabric8.kubernetes.api.model.Event;

/** Placeholder replaced by the events branch. */
public interface EventSink {
    void create(Event e);

    void update(Event e);
}
