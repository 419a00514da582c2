package io.podvisor.api.events;

import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.EventSourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.podvisor.core.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Records events for one source (component + host) with Kubernetes' correlation (spec 11.4–11.5),
 * applied to every call in this order:
 * <ol>
 *   <li><b>similar</b>: events equal in involved object, type and reason (and fieldPath, see
 *       {@link EventRecorderConfig#similarByFieldPath}) form a group; once it has seen
 *       {@code distinctBeforeCombining} distinct messages within its window, each further new message
 *       goes into one aggregate event reading {@value #COMBINED_PREFIX}{@code <latest message>};</li>
 *   <li><b>identical</b>: occurrences with the same Event identity (involved object incl. fieldPath,
 *       type, reason, message; or the group's aggregate) update one Event object: {@code count}
 *       grows, {@code lastTimestamp} moves, {@code firstTimestamp} and the name stay;</li>
 *   <li><b>spam</b>: per involved object (fieldPath ignored) a token bucket of {@code spamBurst},
 *       refilled one token per {@code spamRefillPeriod}; without a token the occurrence is not sent.
 *       It still counted in steps 1–2 (as in client-go), so the next update carries it in
 *       {@code count}.</li>
 * </ol>
 * All three caches are LRU-bounded by {@code cacheEntries}; an evicted Event identity simply starts
 * a new Event object. The Event namespace is the involved object's, or {@code default} for
 * cluster-scoped objects.
 *
 * <p>Thread-safety: {@link #record} and the counters are synchronized; the sink is called with the
 * lock held (see {@link EventSink}).
 */
public final class EventRecorder {

    /** Message prefix of an aggregate event. */
    public static final String COMBINED_PREFIX = "(combined from similar events): ";

    private final EventRecorderConfig config;
    private final Clock clock;
    private final EventSink sink;
    private final EventSource source;
    private final SimilarEventAggregator aggregator;
    private final LruCache<EventKeys.DedupeKey, EventLog> logs;
    private final SpamFilter spamFilter;
    private long dropped;
    private long sinkFailures;

    /** A recorder with {@link EventRecorderConfig#DEFAULTS}. */
    public EventRecorder(Clock clock, EventSink sink, EventSource source) {
        this(EventRecorderConfig.DEFAULTS, clock, sink, source);
    }

    /**
     * A recorder with explicit tuning.
     *
     * @param source {@code component} is required (e.g. {@code kubelet}); {@code host} may be null
     */
    public EventRecorder(EventRecorderConfig config, Clock clock, EventSink sink, EventSource source) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(source, "source");
        if (isBlank(source.getComponent())) {
            throw new IllegalArgumentException("event source needs a component");
        }
        this.source = new EventSourceBuilder(source).build();
        this.aggregator = new SimilarEventAggregator(config.cacheEntries(),
                config.distinctBeforeCombining(), config.similarWindow());
        this.logs = new LruCache<>(config.cacheEntries());
        this.spamFilter = new SpamFilter(config.cacheEntries(), config.spamBurst(),
                config.spamRefillPeriod());
    }

    /**
     * Records one occurrence at the clock's current time; may call the sink once (create or update)
     * or not at all (spam filter).
     *
     * @param involved the object the event is about: {@code name} required; kind, namespace, uid,
     *                 apiVersion and an optional {@code fieldPath} such as
     *                 {@code spec.containers{app}}. Copied, never kept.
     * @param type     {@link EventTypes#NORMAL} or {@link EventTypes#WARNING}
     * @param reason   a short CamelCase reason, see {@link Reasons}
     * @param message  human-readable text; null is recorded as empty
     * @throws IllegalArgumentException on a missing name or reason, or an unknown type
     */
    public synchronized void record(ObjectReference involved, String type, String reason, String message) {
        validate(involved, type, reason);
        String text = message == null ? "" : message;
        Instant now = clock.now();
        EventKeys.ObjectKey object = EventKeys.ObjectKey.of(involved);
        String fieldPath = involved.getFieldPath();
        EventKeys.SimilarKey group = new EventKeys.SimilarKey(object,
                config.similarByFieldPath() ? fieldPath : null, type, reason);

        boolean combine = aggregator.observe(group, text, now);
        EventKeys.DedupeKey key = combine
                ? EventKeys.DedupeKey.aggregate(group)
                : EventKeys.DedupeKey.identical(group, fieldPath, text);
        EventLog log = logs.get(key);
        if (log == null) {
            log = new EventLog(EventNames.next(involved.getName(), now), namespaceOf(involved),
                    involved, type, reason, now);
            logs.put(key, log);
        }
        log.occur(now, combine ? COMBINED_PREFIX + text : text);

        if (!spamFilter.tryAccept(object, now)) {
            dropped++;
            return;
        }
        deliver(log);
    }

    /** Occurrences not sent because of the spam filter, since construction. */
    public synchronized long droppedBySpamFilter() {
        return dropped;
    }

    /** Sink calls that threw, since construction (those occurrences are lost). */
    public synchronized long sinkFailures() {
        return sinkFailures;
    }

    /** A copy of this recorder's source. */
    public EventSource source() {
        return new EventSourceBuilder(source).build();
    }

    /** Entry counts of the three caches (similar, dedupe, spam), for tests of the bounds. */
    synchronized int[] cacheSizes() {
        return new int[] {aggregator.size(), logs.size(), spamFilter.size()};
    }

    private void deliver(EventLog log) {
        try {
            if (log.published()) {
                sink.update(log.toEvent(source));
            } else {
                sink.create(log.toEvent(source));
                log.markPublished();
            }
        } catch (RuntimeException e) {
            // Best effort like upstream: an event must never fail the component that records it.
            // An unpublished object stays unpublished, so its next occurrence is a create again.
            sinkFailures++;
        }
    }

    private static void validate(ObjectReference involved, String type, String reason) {
        Objects.requireNonNull(involved, "involved");
        if (isBlank(involved.getName())) {
            throw new IllegalArgumentException("involved object needs a name");
        }
        if (!EventTypes.isValid(type)) {
            throw new IllegalArgumentException("event type must be Normal or Warning, got " + type);
        }
        if (isBlank(reason)) {
            throw new IllegalArgumentException("event reason is required");
        }
    }

    private static String namespaceOf(ObjectReference involved) {
        String ns = involved.getNamespace();
        return isBlank(ns) ? "default" : ns;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
