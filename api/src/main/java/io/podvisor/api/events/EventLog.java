package io.podvisor.api.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.EventSourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.podvisor.api.Times;
import java.time.Instant;

/**
 * What the recorder remembers about one Event object: identity, counters and the latest message.
 * The involved object is the one of the first occurrence (an aggregate keeps it even when later
 * members carry another fieldPath). Not thread-safe: {@link EventRecorder} serialises access.
 */
final class EventLog {

    private final String name;
    private final String namespace;
    private final ObjectReference involved;
    private final String type;
    private final String reason;
    private final Instant first;
    private Instant last;
    private String message;
    private int count;
    private boolean published;

    EventLog(String name, String namespace, ObjectReference involved, String type, String reason,
             Instant first) {
        this.name = name;
        this.namespace = namespace;
        this.involved = new ObjectReferenceBuilder(involved).build();
        this.type = type;
        this.reason = reason;
        this.first = first;
        this.last = first;
    }

    /** Counts one more occurrence at {@code now} carrying {@code text}. */
    void occur(Instant now, String text) {
        count = count == Integer.MAX_VALUE ? count : count + 1;
        if (now.isAfter(last)) {
            last = now;
        }
        message = text;
    }

    /** Whether the sink has accepted a {@code create} for this object. */
    boolean published() {
        return published;
    }

    void markPublished() {
        published = true;
    }

    /** A fresh, fully populated Event reflecting the current state. */
    Event toEvent(EventSource source) {
        return new EventBuilder()
                .withApiVersion("v1")
                .withKind("Event")
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder(involved).build())
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withSource(new EventSourceBuilder(source).build())
                .withReportingComponent(source.getComponent())
                .withReportingInstance(source.getHost())
                .withCount(count)
                .withFirstTimestamp(Times.format(first))
                .withLastTimestamp(Times.format(last))
                .build();
    }
}
