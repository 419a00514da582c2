package io.podvisor.api.printers;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSeries;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.podvisor.api.Times;
import java.time.Instant;

/** The Age column of the Events table in {@code kubectl describe}. */
public final class EventAges {

    private EventAges() {}

    /**
     * Age of an event: {@code <since first>} when it happened once, otherwise
     * {@code <since last> (x<count> over <since first>)}, e.g. {@code 12s (x5 over 71s)}.
     *
     * <p>The first occurrence is {@code firstTimestamp}, else {@code eventTime}, else
     * {@code metadata.creationTimestamp}. The count and last occurrence come from {@code series}
     * when present (events.k8s.io style), else from {@code count} and {@code lastTimestamp}; a
     * missing last occurrence falls back to the first. Unknown times print as {@code <unknown>}.
     *
     * @param e the event
     * @param now the instant the table is printed at
     * @return the Age text
     */
    public static String age(Event e, Instant now) {
        Instant first = firstSeen(e);
        EventSeries series = e.getSeries();
        int count;
        Instant last;
        if (series != null) {
            count = series.getCount() == null ? 0 : series.getCount();
            last = firstNonNull(micro(series.getLastObservedTime()), Times.parse(e.getLastTimestamp()));
        } else {
            count = e.getCount() == null ? 0 : e.getCount();
            last = Times.parse(e.getLastTimestamp());
        }
        String sinceFirst = PodColumns.since(first, now);
        if (count <= 1) {
            return sinceFirst;
        }
        return PodColumns.since(firstNonNull(last, first), now) + " (x" + count + " over " + sinceFirst + ")";
    }

    private static Instant firstSeen(Event e) {
        Instant first = Times.parse(e.getFirstTimestamp());
        if (first == null) {
            first = micro(e.getEventTime());
        }
        if (first == null && e.getMetadata() != null) {
            first = Times.parse(e.getMetadata().getCreationTimestamp());
        }
        return first;
    }

    private static Instant micro(MicroTime t) {
        return t == null ? null : Times.parse(t.getTime());
    }

    private static Instant firstNonNull(Instant a, Instant b) {
        return a != null ? a : b;
    }
}
