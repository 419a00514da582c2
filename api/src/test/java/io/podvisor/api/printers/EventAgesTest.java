package io.podvisor.api.printers;

import static io.podvisor.api.printers.TestPods.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.podvisor.api.Times;
import org.junit.jupiter.api.Test;

class EventAgesTest {

    private static String ago(long seconds) {
        return Times.format(NOW.minusSeconds(seconds));
    }

    private static EventBuilder event() {
        return new EventBuilder().withNewMetadata().withName("e").endMetadata().withReason("BackOff");
    }

    @Test
    void singleEventShowsTimeSinceFirst() {
        Event e = event().withCount(1).withFirstTimestamp(ago(12)).withLastTimestamp(ago(12)).build();
        assertThat(EventAges.age(e, NOW)).isEqualTo("12s");
    }

    @Test
    void singleEventUsesFirstEvenIfLastDiffers() {
        Event e = event().withCount(1).withFirstTimestamp(ago(300)).withLastTimestamp(ago(12)).build();
        assertThat(EventAges.age(e, NOW)).isEqualTo("5m");
    }

    @Test
    void repeatedEventShowsLastCountAndSpan() {
        Event e = event().withCount(5).withFirstTimestamp(ago(71)).withLastTimestamp(ago(12)).build();
        assertThat(EventAges.age(e, NOW)).isEqualTo("12s (x5 over 71s)");
    }

    @Test
    void missingCountIsASingleEvent() {
        Event e = event().withFirstTimestamp(ago(3700)).build();
        assertThat(EventAges.age(e, NOW)).isEqualTo("61m");
    }

    @Test
    void fallsBackToEventTime() {
        Event e = event().withEventTime(new MicroTime("2026-03-01T11:59:30.123456Z")).build();
        assertThat(EventAges.age(e, NOW)).isEqualTo("29s");
    }

    @Test
    void fallsBackToCreationTimestamp() {
        Event e = event().editMetadata().withCreationTimestamp(ago(45)).endMetadata().build();
        assertThat(EventAges.age(e, NOW)).isEqualTo("45s");
    }

    @Test
    void repeatedEventWithoutLastTimestampUsesFirst() {
        Event e = event().withCount(3).withFirstTimestamp(ago(130)).build();
        assertThat(EventAges.age(e, NOW)).isEqualTo("2m10s (x3 over 2m10s)");
    }

    @Test
    void seriesGivesCountAndLastObservedTime() {
        Event e = event().withEventTime(new MicroTime(ago(600)))
                .withNewSeries().withCount(7).withLastObservedTime(new MicroTime(ago(9))).endSeries().build();
        assertThat(EventAges.age(e, NOW)).isEqualTo("9s (x7 over 10m)");
    }

    @Test
    void noTimestampsAtAllIsUnknown() {
        assertThat(EventAges.age(event().build(), NOW)).isEqualTo("<unknown>");
    }

    @Test
    void futureTimestampBeyondSkewIsInvalid() {
        Event e = event().withCount(1).withFirstTimestamp(Times.format(NOW.plusSeconds(5))).build();
        assertThat(EventAges.age(e, NOW)).isEqualTo("<invalid>");
    }
}
