package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.podvisor.api.Times;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.core.Periodic;
import io.podvisor.store.Store;
import io.podvisor.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Expires Events one hour after they were last seen ({@code lastTimestamp}, else the series' last
 * observation, {@code eventTime} or {@code creationTimestamp}), checked every minute of the clock.
 * {@link #runOnce()} is the step; {@link #start()} schedules it.
 */
final class EventExpiry {

    static final Duration TTL = Duration.ofHours(1);
    static final Duration PERIOD = Duration.ofMinutes(1);

    private final Context ctx;
    private final Periodic loop;
    /** When each listed event was last seen, by key, valid for the stored version it was read from. */
    private Map<String, Seen> seen = new HashMap<>();

    private record Seen(long modRevision, Instant at) {}

    EventExpiry(Context ctx) {
        this.ctx = ctx;
        this.loop = new Periodic(ctx.clock, PERIOD, this::runOnce);
    }

    void start() {
        loop.start();
    }

    void stop() {
        loop.stop();
    }

    /**
     * Deletes every expired event now; returns how many. An event is decoded only when its stored
     * version changed since the previous pass, so a pass over unchanged events costs a listing.
     */
    synchronized int runOnce() {
        Instant cutoff = ctx.clock.now().minus(TTL);
        int n = 0;
        Map<String, Seen> next = new HashMap<>();
        for (ResourceType type : new ResourceType[] {ResourceTypes.EVENTS}) { // events.k8s.io/v1 events are stored as these
            for (Store.Entry e : ctx.store.list(Keys.prefix(type), null, 0).entries()) {
                Seen known = this.seen.get(e.key());
                if (known == null || known.modRevision() != e.modRevision()) {
                    known = new Seen(e.modRevision(), lastSeen(ctx.codec.decode(type, e)));
                }
                Instant seen = known.at();
                if (seen == null || seen.isAfter(cutoff)) {
                    next.put(e.key(), known);
                } else {
                    try {
                        ctx.store.delete(e.key(), e.modRevision());
                        n++;
                    } catch (StoreException ignored) {
                        // refreshed or removed meanwhile: read again next time
                    }
                }
            }
        }
        this.seen = next;
        return n;
    }

    static Instant lastSeen(HasMetadata object) {
        String t = null;
        if (object instanceof Event e) {
            t = first(e.getLastTimestamp(), e.getSeries() == null ? null : micro(e.getSeries().getLastObservedTime()),
                    micro(e.getEventTime()));
        } else if (object instanceof io.fabric8.kubernetes.api.model.events.v1.Event e) {
            t = first(e.getSeries() == null ? null : micro(e.getSeries().getLastObservedTime()), micro(e.getEventTime()),
                    e.getDeprecatedLastTimestamp());
        }
        t = first(t, object.getMetadata().getCreationTimestamp());
        try {
            return Times.parse(t);
        } catch (RuntimeException bad) {
            return null;
        }
    }

    private static String micro(MicroTime m) {
        return m == null ? null : m.getTime();
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }
}
