package io.podvisor.api.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An in-memory {@link EventSink} for tests of any module: keeps the latest state of each Event
 * object by name, in order of first creation, and counts the calls. It behaves like the API server
 * would: {@code create} of an existing name fails, {@code update} of an unknown name creates it
 * (an expired event, see {@link EventSink#update}).
 *
 * <p>Thread-safety: all methods are synchronized; stored and returned events are copies.
 */
public final class RecordingEventSink implements EventSink {

    private final Map<String, Event> byName = new LinkedHashMap<>();
    private int creates;
    private int updates;

    /**
     * Stores a new event.
     *
     * @throws IllegalStateException if an event with that name already exists
     */
    @Override
    public synchronized void create(Event event) {
        String name = nameOf(event);
        if (byName.containsKey(name)) {
            throw new IllegalStateException("event " + name + " already exists");
        }
        byName.put(name, copy(event));
        creates++;
    }

    /** Replaces the stored state of the event (keeping its position), or adds it if unknown. */
    @Override
    public synchronized void update(Event event) {
        byName.put(nameOf(event), copy(event));
        updates++;
    }

    /** All events, in order of first creation. */
    public synchronized List<Event> events() {
        List<Event> out = new ArrayList<>(byName.size());
        byName.values().forEach(e -> out.add(copy(e)));
        return out;
    }

    /** Events whose {@code involvedObject.name} is {@code name}, in order of first creation. */
    public synchronized List<Event> forObject(String name) {
        List<Event> out = new ArrayList<>();
        for (Event e : byName.values()) {
            if (e.getInvolvedObject() != null && Objects.equals(name, e.getInvolvedObject().getName())) {
                out.add(copy(e));
            }
        }
        return out;
    }

    /** Number of successful {@link #create} calls. */
    public synchronized int createCalls() {
        return creates;
    }

    /** Number of {@link #update} calls. */
    public synchronized int updateCalls() {
        return updates;
    }

    /** Forgets everything. */
    public synchronized void clear() {
        byName.clear();
        creates = 0;
        updates = 0;
    }

    private static String nameOf(Event event) {
        Objects.requireNonNull(event, "event");
        if (event.getMetadata() == null || event.getMetadata().getName() == null) {
            throw new IllegalArgumentException("event has no metadata.name");
        }
        return event.getMetadata().getName();
    }

    private static Event copy(Event e) {
        return new EventBuilder(e).build();
    }
}
