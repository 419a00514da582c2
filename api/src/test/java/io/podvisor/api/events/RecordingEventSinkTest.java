package io.podvisor.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import org.junit.jupiter.api.Test;

class RecordingEventSinkTest {

    private static Event event(String name, String involved, int count) {
        return new EventBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName(involved).endInvolvedObject()
                .withCount(count).build();
    }

    @Test
    void keepsLatestStatePerNameInCreationOrderAndFiltersByObject() {
        RecordingEventSink sink = new RecordingEventSink();
        sink.create(event("a.1", "a", 1));
        sink.create(event("b.1", "b", 1));
        sink.update(event("a.1", "a", 2));
        sink.update(event("c.1", "c", 4)); // an expired object is re-created by update

        assertThat(sink.events()).extracting(e -> e.getMetadata().getName()).containsExactly("a.1", "b.1", "c.1");
        assertThat(sink.forObject("a")).singleElement().extracting(Event::getCount).isEqualTo(2);
        assertThat(sink.forObject("zzz")).isEmpty();
        assertThat(sink.createCalls()).isEqualTo(2);
        assertThat(sink.updateCalls()).isEqualTo(2);
        assertThatThrownBy(() -> sink.create(event("b.1", "b", 1))).isInstanceOf(IllegalStateException.class);

        sink.clear();
        assertThat(sink.events()).isEmpty();
        assertThat(sink.createCalls()).isZero();
    }

    @Test
    void storesAndReturnsCopies() {
        RecordingEventSink sink = new RecordingEventSink();
        Event original = event("a.1", "a", 1);
        sink.create(original);
        original.setCount(99);
        sink.events().getFirst().setCount(42);

        assertThat(sink.events().getFirst().getCount()).isEqualTo(1);
    }
}
