package io.podvisor.api.events;

import java.time.Duration;
import java.time.Instant;

/**
 * Per-object token buckets (spec 11.5): each starts full with {@code burst} tokens, an accepted event
 * takes one, and one token is earned back per refill period, continuously and up to the burst. The
 * level is kept in nanoseconds of refill time, so virtual-time arithmetic is exact. Not thread-safe:
 * {@link EventRecorder} serialises access.
 */
final class SpamFilter {

    private static final class Bucket {
        long levelNanos;
        Instant last;
    }

    private final LruCache<EventKeys.ObjectKey, Bucket> buckets;
    private final long tokenNanos;
    private final long capacityNanos;

    SpamFilter(int cacheEntries, int burst, Duration refillPeriod) {
        this.buckets = new LruCache<>(cacheEntries);
        this.tokenNanos = refillPeriod.toNanos();
        this.capacityNanos = Math.multiplyExact(tokenNanos, (long) burst);
    }

    /** Takes a token for {@code object} at {@code now}; false means the event must be dropped. */
    boolean tryAccept(EventKeys.ObjectKey object, Instant now) {
        Bucket b = buckets.get(object);
        if (b == null) {
            b = new Bucket();
            b.levelNanos = capacityNanos;
            b.last = now;
            buckets.put(object, b);
        }
        refill(b, now);
        if (b.levelNanos < tokenNanos) {
            return false;
        }
        b.levelNanos -= tokenNanos;
        return true;
    }

    private void refill(Bucket b, Instant now) {
        if (!now.isAfter(b.last)) {
            return; // a clock that stands still (or steps back) earns nothing
        }
        Duration elapsed = Duration.between(b.last, now);
        long room = capacityNanos - b.levelNanos;
        b.levelNanos = elapsed.compareTo(Duration.ofNanos(room)) >= 0
                ? capacityNanos
                : b.levelNanos + elapsed.toNanos();
        b.last = now;
    }

    int size() {
        return buckets.size();
    }
}
