package io.podvisor.api.printers;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.podvisor.api.Times;
import io.podvisor.api.printers.Tables.Column;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Events, core v1 and events.k8s.io/v1 alike (both are served from the same storage upstream):
 * Last Seen | Type | Reason | Object | Subobject* | Source* | Message | First Seen* | Count* | Name*.
 *
 * <p>FIRST SEEN is the age of {@code firstTimestamp}, else of {@code eventTime}. LAST SEEN is the
 * age of {@code series.lastObservedTime} when there is a series, else of {@code lastTimestamp},
 * else FIRST SEEN. COUNT is the series count, else {@code count}, and 1 for a singleton event
 * without one. OBJECT is {@code <lowercased kind>/<name>}. SOURCE is
 * {@code <component>, <host>}, taking {@code reportingController}/{@code reportingInstance} when
 * the legacy source fields are empty. Missing times print {@code <unknown>}.
 */
final class EventPrinter implements KindPrinter {

    private static final List<Column> COLUMNS = List.of(
            Columns.column("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
            Columns.column("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
            Columns.column("Reason", "This should be a short, machine understandable string that gives the reason "
                    + "for the transition into the object's current status."),
            Columns.column("Object", "The object that this event is about."),
            Columns.wide("Subobject", "If referring to a piece of an object instead of an entire object, this string "
                    + "should contain a valid JSON/Go field access statement, such as "
                    + "desiredState.manifest.containers[2]. For example, if the object reference is to a container "
                    + "within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers "
                    + "to the name of the container that triggered the event) or if no container name is specified "
                    + "\"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have "
                    + "some well-defined way of referencing a part of an object."),
            Columns.wide("Source", "The component reporting this event. Should be a short machine understandable "
                    + "string."),
            Columns.column("Message", "A human-readable description of the status of this operation."),
            Columns.wide("First Seen", "The time at which the event was first recorded. (Time of server receipt is "
                    + "in TypeMeta.)"),
            Columns.wide("Count", "The number of times this event has occurred."),
            new Column("Name", "string", "name", Columns.NAME_DOC, 1));

    /** The fields the printer reads, common to both event APIs. */
    private record View(HasMetadata object, ObjectReference regarding, String type, String reason, String message,
            EventSource source, String reportingController, String reportingInstance, String firstTimestamp,
            MicroTime eventTime, String lastTimestamp, Integer count, boolean hasSeries, Integer seriesCount,
            MicroTime seriesLast) {}

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(HasMetadata object, Instant now) {
        View e = object instanceof io.fabric8.kubernetes.api.model.events.v1.Event ev ? view(ev)
                : view(Columns.as(object, Event.class));
        Instant firstAt = Times.parse(e.firstTimestamp());
        String first = firstAt != null ? PodColumns.since(firstAt, now) : PodColumns.since(micro(e.eventTime()), now);
        Instant lastAt = Times.parse(e.lastTimestamp());
        String last = lastAt != null ? PodColumns.since(lastAt, now) : first;
        long count = Columns.orZero(e.count());
        if (e.hasSeries()) {
            last = PodColumns.since(micro(e.seriesLast()), now);
            count = Columns.orZero(e.seriesCount());
        } else if (count == 0) {
            count = 1;
        }
        return List.of(last, Columns.orEmpty(e.type()), Columns.orEmpty(e.reason()), target(e.regarding()),
                fieldPath(e.regarding()), source(e), Columns.orEmpty(e.message()).strip(), first, count,
                Columns.name(e.object()));
    }

    private static View view(Event e) {
        boolean series = e.getSeries() != null;
        return new View(e, e.getInvolvedObject(), e.getType(), e.getReason(), e.getMessage(), e.getSource(),
                e.getReportingComponent(), e.getReportingInstance(), e.getFirstTimestamp(), e.getEventTime(),
                e.getLastTimestamp(), e.getCount(), series, series ? e.getSeries().getCount() : null,
                series ? e.getSeries().getLastObservedTime() : null);
    }

    private static View view(io.fabric8.kubernetes.api.model.events.v1.Event e) {
        boolean series = e.getSeries() != null;
        return new View(e, e.getRegarding(), e.getType(), e.getReason(), e.getNote(), e.getDeprecatedSource(),
                e.getReportingController(), e.getReportingInstance(), e.getDeprecatedFirstTimestamp(),
                e.getEventTime(), e.getDeprecatedLastTimestamp(), e.getDeprecatedCount(), series,
                series ? e.getSeries().getCount() : null, series ? e.getSeries().getLastObservedTime() : null);
    }

    private static String target(ObjectReference ref) {
        String kind = ref == null ? "" : Columns.orEmpty(ref.getKind()).toLowerCase(Locale.ROOT);
        String name = ref == null ? "" : Columns.orEmpty(ref.getName());
        return name.isEmpty() ? kind : kind + "/" + name;
    }

    private static String fieldPath(ObjectReference ref) {
        return ref == null ? "" : Columns.orEmpty(ref.getFieldPath());
    }

    private static String source(View e) {
        String component = firstNonEmpty(e.source() == null ? null : e.source().getComponent(), e.reportingController());
        String host = firstNonEmpty(e.source() == null ? null : e.source().getHost(), e.reportingInstance());
        return host.isEmpty() ? component : component + ", " + host;
    }

    private static String firstNonEmpty(String a, String b) {
        return a != null && !a.isEmpty() ? a : Columns.orEmpty(b);
    }

    private static Instant micro(MicroTime t) {
        return t == null ? null : Times.parse(t.getTime());
    }
}
