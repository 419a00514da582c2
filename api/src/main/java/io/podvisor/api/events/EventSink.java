package io.podvisor.api.events;

import io.fabric8.kubernetes.api.model.Event;

/**
 * Where an {@link EventRecorder} delivers the Event objects it decides to write: the API server
 * (through a writer that enqueues), or a {@link RecordingEventSink} in tests.
 *
 * <p><b>Calling context.</b> The recorder calls the sink <em>while holding its own lock</em>, on
 * whatever thread called {@link EventRecorder#record}. This keeps the calls for one recorder totally
 * ordered (an object's {@code create} always precedes its {@code update}s), at the price that a slow
 * sink slows every caller of that recorder. Implementations therefore must:
 * <ul>
 *   <li>be safe to call from any thread;</li>
 *   <li>return quickly (hand blocking I/O to a queue of their own);</li>
 *   <li>never call back into the recorder that called them.</li>
 * </ul>
 *
 * <p><b>Ownership.</b> Each call passes a freshly built {@link Event} that the recorder never touches
 * again; the sink may keep or mutate it.
 *
 * <p><b>Failures.</b> A {@link RuntimeException} thrown by the sink is swallowed and counted by the
 * recorder ({@link EventRecorder#sinkFailures()}); events are best effort and never fail the caller.
 */
public interface EventSink {

    /**
     * Writes a new Event object. The name ({@code <involvedName>.<16 hex digits>}) is new for this
     * recorder; {@code count} is the number of occurrences so far (1 unless earlier occurrences were
     * dropped by the spam filter), {@code firstTimestamp} equals {@code lastTimestamp}.
     *
     * @param event the complete object, owned by the sink from now on
     */
    void create(Event event);

    /**
     * Replaces an Event object previously passed to {@link #create} (same name and namespace) with a
     * newer state: higher {@code count}, later {@code lastTimestamp}, unchanged
     * {@code firstTimestamp}, and for an aggregate the latest message. If the object no longer exists
     * (the API server expires events after 1 h), implementations writing to an API should create it.
     *
     * @param event the complete object, owned by the sink from now on
     */
    void update(Event event);
}
