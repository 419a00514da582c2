package io.podvisor.core;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-key exponential back-off as the kubelet uses it for container restarts and image pulls:
 * the first attempt is free and creates an entry with the initial delay; while
 * {@code now - eventTime < delay} an attempt is refused; an allowed attempt doubles the delay up to
 * the cap; an entry is stale (and starts over) once {@code eventTime - lastUpdate > 2 × cap}.
 *
 * <p>Thread-safety: all methods are synchronized.
 */
public final class Backoff {

    /** A key's state: the current delay and when it was last advanced. */
    public record Entry(Duration delay, Instant lastUpdate) {}

    private final Duration initial;
    private final Duration cap;
    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>();

    public Backoff(Duration initial, Duration cap, Clock clock) {
        this.initial = initial;
        this.cap = cap;
        this.clock = clock;
    }

    /**
     * Whether an attempt for {@code key}, whose last failure happened at {@code eventTime}, must
     * still wait. Never true for a key without an entry, or a stale one.
     */
    public synchronized boolean isInBackOffSince(String key, Instant eventTime) {
        Entry e = entries.get(key);
        if (e == null || isStale(e, eventTime)) {
            return false;
        }
        return Duration.between(eventTime, clock.now()).compareTo(e.delay) < 0;
    }

    /** The instant at which the back-off for {@code key} from {@code eventTime} ends. */
    public synchronized Instant releaseTime(String key, Instant eventTime) {
        Entry e = entries.get(key);
        return e == null ? eventTime : eventTime.plus(e.delay);
    }

    /** The current delay of {@code key} (zero if none). */
    public synchronized Duration delay(String key) {
        Entry e = entries.get(key);
        return e == null ? Duration.ZERO : e.delay;
    }

    /**
     * Records an attempt: creates the entry with the initial delay, resets a stale one, or doubles
     * the delay (capped).
     */
    public synchronized void next(String key, Instant eventTime) {
        Entry e = entries.get(key);
        Instant now = clock.now();
        if (e == null || isStale(e, eventTime)) {
            entries.put(key, new Entry(initial, now));
        } else {
            Duration doubled = e.delay.multipliedBy(2);
            entries.put(key, new Entry(doubled.compareTo(cap) > 0 ? cap : doubled, now));
        }
    }

    /** Forgets {@code key}. */
    public synchronized void reset(String key) {
        entries.remove(key);
    }

    /** Forgets every key with the given prefix (e.g. everything of one pod). */
    public synchronized void resetPrefix(String prefix) {
        entries.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private boolean isStale(Entry e, Instant eventTime) {
        return Duration.between(e.lastUpdate, eventTime).compareTo(cap.multipliedBy(2)) > 0;
    }
}
