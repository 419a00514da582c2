/**
 * Kubernetes events as podvisor writes them (spec section 11).
 *
 * <p>{@link io.podvisor.api.events.EventRecorder} turns {@code record(object, type, reason, message)}
 * calls into {@code core/v1} Event objects with client-go's correlation: identical occurrences are
 * counted on one object, bursts of similar ones are combined into an aggregate, and a per-object
 * token bucket drops spam. All time comes from the injected {@link io.podvisor.core.Clock}, so the
 * behaviour is exact under {@link io.podvisor.core.FakeClock}. The recorder hands objects to an
 * {@link io.podvisor.api.events.EventSink}; {@link io.podvisor.api.events.RecordingEventSink} is the
 * in-memory one for tests. Reason strings live in {@link io.podvisor.api.events.Reasons}, types in
 * {@link io.podvisor.api.events.EventTypes}.
 */
package io.podvisor.api.events;
