package io.podvisor.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.podvisor.core.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventRecorderTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String NAME_PATTERN = "\\.[0-9a-f]{16}";

    private final FakeClock clock = new FakeClock(T0);
    private final RecordingEventSink sink = new RecordingEventSink();
    private final EventRecorder recorder =
            new EventRecorder(clock, sink, new EventSource("kubelet", "node-1"));

    static ObjectReference pod(String name) {
        return new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod")
                .withNamespace("team-a").withName(name).withUid("uid-" + name).build();
    }

    static ObjectReference container(String pod, String container) {
        return new ObjectReferenceBuilder(pod(pod)).withFieldPath("spec.containers{" + container + "}").build();
    }

    private void advanceSeconds(long s) {
        clock.advance(Duration.ofSeconds(s));
    }

    @Test
    void identicalEventsMergeIntoOneObjectCountingAndMovingLastTimestamp() {
        recorder.record(container("web", "app"), EventTypes.NORMAL, Reasons.PULLING, "Pulling image \"nginx\"");
        String name = sink.events().getFirst().getMetadata().getName();
        advanceSeconds(5);
        recorder.record(container("web", "app"), EventTypes.NORMAL, Reasons.PULLING, "Pulling image \"nginx\"");
        advanceSeconds(7);
        recorder.record(container("web", "app"), EventTypes.NORMAL, Reasons.PULLING, "Pulling image \"nginx\"");

        assertThat(sink.events()).hasSize(1);
        Event e = sink.events().getFirst();
        assertThat(e.getMetadata().getName()).isEqualTo(name);
        assertThat(e.getCount()).isEqualTo(3);
        assertThat(e.getFirstTimestamp()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(e.getLastTimestamp()).isEqualTo("2026-03-01T10:00:12Z");
        assertThat(e.getMessage()).isEqualTo("Pulling image \"nginx\"");
        assertThat(sink.createCalls()).isEqualTo(1);
        assertThat(sink.updateCalls()).isEqualTo(2);
    }

    @Test
    void createdEventCarriesEveryField() {
        recorder.record(container("web", "app"), EventTypes.NORMAL, Reasons.STARTED, "Started container app");

        Event e = sink.events().getFirst();
        assertThat(e.getApiVersion()).isEqualTo("v1");
        assertThat(e.getKind()).isEqualTo("Event");
        assertThat(e.getMetadata().getName()).matches("web" + NAME_PATTERN);
        assertThat(e.getMetadata().getNamespace()).isEqualTo("team-a");
        assertThat(e.getInvolvedObject()).isEqualTo(container("web", "app"));
        assertThat(e.getType()).isEqualTo("Normal");
        assertThat(e.getReason()).isEqualTo("Started");
        assertThat(e.getMessage()).isEqualTo("Started container app");
        assertThat(e.getSource().getComponent()).isEqualTo("kubelet");
        assertThat(e.getSource().getHost()).isEqualTo("node-1");
        assertThat(e.getReportingComponent()).isEqualTo("kubelet");
        assertThat(e.getReportingInstance()).isEqualTo("node-1");
        assertThat(e.getCount()).isEqualTo(1);
        assertThat(e.getFirstTimestamp()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(e.getLastTimestamp()).isEqualTo("2026-03-01T10:00:00Z");
    }

    @Test
    void fieldPathTypeAndReasonEachSeparateEventObjects() {
        String msg = "Back-off 10s";
        recorder.record(container("web", "app"), EventTypes.WARNING, Reasons.BACK_OFF, msg);
        recorder.record(container("web", "sidecar"), EventTypes.WARNING, Reasons.BACK_OFF, msg);
        recorder.record(pod("web"), EventTypes.WARNING, Reasons.BACK_OFF, msg);
        recorder.record(container("web", "app"), EventTypes.NORMAL, Reasons.BACK_OFF, msg);
        recorder.record(container("web", "app"), EventTypes.WARNING, Reasons.FAILED, msg);
        recorder.record(container("web", "app"), EventTypes.WARNING, Reasons.BACK_OFF, msg);

        List<Event> events = sink.events();
        assertThat(events).extracting(e -> e.getInvolvedObject().getFieldPath())
                .containsExactly("spec.containers{app}", "spec.containers{sidecar}", null,
                        "spec.containers{app}", "spec.containers{app}");
        assertThat(events).extracting(Event::getCount).containsExactly(2, 1, 1, 1, 1);
        assertThat(events).extracting(Event::getType)
                .containsExactly("Warning", "Warning", "Warning", "Normal", "Warning");
    }

    @Test
    void warningAndNormalTypesAreCarriedAndOthersRejected() {
        recorder.record(container("web", "app"), EventTypes.WARNING, Reasons.UNHEALTHY, "Liveness probe failed: x");
        recorder.record(container("web", "app"), EventTypes.NORMAL, Reasons.KILLING, "Stopping container app");

        assertThat(sink.events()).extracting(Event::getType, Event::getReason)
                .containsExactly(tuple("Warning", "Unhealthy"),
                        tuple("Normal", "Killing"));
        assertThatThrownBy(() -> recorder.record(pod("web"), "Error", Reasons.FAILED, "m"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recorder.record(pod("web"), "normal", Reasons.FAILED, "m"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recorder.record(pod("web"), EventTypes.NORMAL, " ", "m"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recorder.record(new ObjectReference(), EventTypes.NORMAL, "R", "m"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(sink.events()).hasSize(2);
    }

    @Test
    void eleventhDistinctSimilarMessageIsCombinedAndLaterOnesCountOnTheAggregate() {
        for (int i = 1; i <= 10; i++) {
            recorder.record(container("web", "app"), EventTypes.WARNING, Reasons.UNHEALTHY,
                    "Liveness probe failed: out " + i);
            advanceSeconds(10);
        }
        assertThat(sink.events()).hasSize(10)
                .allSatisfy(e -> assertThat(e.getMessage()).doesNotContain("combined"));

        recorder.record(container("web", "app"), EventTypes.WARNING, Reasons.UNHEALTHY, "Liveness probe failed: out 11");
        assertThat(sink.events()).hasSize(11);
        Event aggregate = sink.events().getLast();
        assertThat(aggregate.getMessage())
                .isEqualTo("(combined from similar events): Liveness probe failed: out 11");
        assertThat(aggregate.getCount()).isEqualTo(1);
        assertThat(aggregate.getFirstTimestamp()).isEqualTo("2026-03-01T10:01:40Z");
        assertThat(aggregate.getType()).isEqualTo("Warning");
        assertThat(aggregate.getReason()).isEqualTo("Unhealthy");
        assertThat(aggregate.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{app}");

        advanceSeconds(30);
        recorder.record(container("web", "app"), EventTypes.WARNING, Reasons.UNHEALTHY, "Liveness probe failed: out 12");
        advanceSeconds(30);
        recorder.record(container("web", "app"), EventTypes.WARNING, Reasons.UNHEALTHY, "Liveness probe failed: out 11");

        assertThat(sink.events()).hasSize(11);
        Event updated = sink.events().getLast();
        assertThat(updated.getMetadata().getName()).isEqualTo(aggregate.getMetadata().getName());
        assertThat(updated.getCount()).isEqualTo(3);
        assertThat(updated.getMessage())
                .isEqualTo("(combined from similar events): Liveness probe failed: out 11");
        assertThat(updated.getFirstTimestamp()).isEqualTo("2026-03-01T10:01:40Z");
        assertThat(updated.getLastTimestamp()).isEqualTo("2026-03-01T10:02:40Z");
    }

    @Test
    void aMessageAlreadyInTheGroupStaysItselfAfterCombiningStarted() {
        for (int i = 1; i <= 11; i++) {
            recorder.record(pod("web"), EventTypes.WARNING, Reasons.FAILED_MOUNT, "mount failed " + i);
        }
        recorder.record(pod("web"), EventTypes.WARNING, Reasons.FAILED_MOUNT, "mount failed 3");

        List<Event> events = sink.events();
        assertThat(events).hasSize(11);
        assertThat(events.get(2).getMessage()).isEqualTo("mount failed 3");
        assertThat(events.get(2).getCount()).isEqualTo(2);
        assertThat(events.get(10).getMessage()).isEqualTo("(combined from similar events): mount failed 11");
        assertThat(events.get(10).getCount()).isEqualTo(1);
    }

    @Test
    void similarWindowIsInclusiveAt600Seconds() {
        for (int i = 1; i <= 10; i++) {
            recorder.record(pod("a"), EventTypes.NORMAL, Reasons.PULLED, "pulled " + i);
        }
        advanceSeconds(600);
        recorder.record(pod("a"), EventTypes.NORMAL, Reasons.PULLED, "pulled 11");
        assertThat(sink.events().getLast().getMessage()).isEqualTo("(combined from similar events): pulled 11");
    }

    @Test
    void afterMoreThan600SecondsWithoutSimilarEventsANewOneIsNotCombined() {
        for (int i = 1; i <= 10; i++) {
            recorder.record(pod("a"), EventTypes.NORMAL, Reasons.PULLED, "pulled " + i);
        }
        advanceSeconds(601);
        recorder.record(pod("a"), EventTypes.NORMAL, Reasons.PULLED, "pulled 11");

        assertThat(sink.events()).hasSize(11);
        assertThat(sink.events().getLast().getMessage()).isEqualTo("pulled 11");
        // The group started afresh with "pulled 11": nine more distinct messages stay themselves.
        for (int i = 12; i <= 20; i++) {
            recorder.record(pod("a"), EventTypes.NORMAL, Reasons.PULLED, "pulled " + i);
        }
        recorder.record(pod("a"), EventTypes.NORMAL, Reasons.PULLED, "pulled 21");
        assertThat(sink.events()).hasSize(21);
        assertThat(sink.events().get(19).getMessage()).isEqualTo("pulled 20");
        assertThat(sink.events().getLast().getMessage()).isEqualTo("(combined from similar events): pulled 21");
    }

    @Test
    void spamFilterDropsThe26thInABurstAndLetsOneThroughPer300Seconds() {
        for (int i = 1; i <= 26; i++) {
            recorder.record(pod("web"), EventTypes.NORMAL, "Reason" + i, "m");
        }
        assertThat(sink.events()).hasSize(25);
        assertThat(recorder.droppedBySpamFilter()).isEqualTo(1);

        advanceSeconds(299);
        recorder.record(pod("web"), EventTypes.NORMAL, "Late1", "m");
        assertThat(sink.events()).hasSize(25);

        advanceSeconds(1);
        recorder.record(pod("web"), EventTypes.NORMAL, "Late2", "m");
        recorder.record(pod("web"), EventTypes.NORMAL, "Late3", "m");
        assertThat(sink.events()).hasSize(26);
        assertThat(sink.events().getLast().getReason()).isEqualTo("Late2");
        assertThat(recorder.droppedBySpamFilter()).isEqualTo(3);

        advanceSeconds(3 * 300);
        for (int i = 0; i < 4; i++) {
            recorder.record(pod("web"), EventTypes.NORMAL, "Later" + i, "m");
        }
        assertThat(sink.events()).hasSize(29);
        assertThat(recorder.droppedBySpamFilter()).isEqualTo(4);
    }

    @Test
    void droppedIdenticalOccurrencesStillCountInTheNextUpdate() {
        for (int i = 0; i < 30; i++) {
            recorder.record(container("web", "app"), EventTypes.WARNING, Reasons.BACK_OFF, "Back-off restarting");
        }
        assertThat(sink.events()).hasSize(1);
        assertThat(sink.events().getFirst().getCount()).isEqualTo(25);
        assertThat(recorder.droppedBySpamFilter()).isEqualTo(5);

        advanceSeconds(300);
        recorder.record(container("web", "app"), EventTypes.WARNING, Reasons.BACK_OFF, "Back-off restarting");
        Event e = sink.events().getFirst();
        assertThat(e.getCount()).isEqualTo(31);
        assertThat(e.getLastTimestamp()).isEqualTo("2026-03-01T10:05:00Z");
        assertThat(sink.createCalls()).isEqualTo(1);
        assertThat(sink.updateCalls()).isEqualTo(25);
    }

    @Test
    void differentObjectsHaveIndependentBucketsButFieldPathsShareTheirPods() {
        for (int i = 1; i <= 25; i++) {
            recorder.record(pod("a"), EventTypes.NORMAL, "R" + i, "m");
        }
        recorder.record(container("a", "app"), EventTypes.NORMAL, "Other", "m");
        assertThat(sink.forObject("a")).hasSize(25);

        for (int i = 1; i <= 25; i++) {
            recorder.record(pod("b"), EventTypes.NORMAL, "R" + i, "m");
        }
        recorder.record(pod("b"), EventTypes.NORMAL, "R26", "m");
        assertThat(sink.forObject("b")).hasSize(25);
        assertThat(recorder.droppedBySpamFilter()).isEqualTo(2);

        // Same name, another uid (a re-created pod) is another object.
        ObjectReference recreated = new ObjectReferenceBuilder(pod("a")).withUid("uid-a-2").build();
        recorder.record(recreated, EventTypes.NORMAL, Reasons.SCHEDULED, "m");
        assertThat(sink.forObject("a")).hasSize(26);
    }

    @Test
    void eventNamesAreUniqueEvenWhenTimeStandsStillAndAcrossRecorders() {
        EventRecorder scheduler = new EventRecorder(clock, sink, new EventSource("default-scheduler", null));
        for (int i = 0; i < 20; i++) {
            recorder.record(pod("web"), EventTypes.NORMAL, "R" + i, "m");
            scheduler.record(pod("web"), EventTypes.NORMAL, "R" + i, "m");
        }
        List<Event> events = sink.events();
        assertThat(events).hasSize(40);
        Set<String> names = new HashSet<>();
        events.forEach(e -> names.add(e.getMetadata().getName()));
        assertThat(names).hasSize(40).allSatisfy(n -> assertThat(n).matches("web" + NAME_PATTERN));
        assertThat(recorder.sinkFailures()).isZero();
        assertThat(scheduler.sinkFailures()).isZero();
    }

    @Test
    void eventNameIsTheClockInEpochNanosInHex() {
        FakeClock future = new FakeClock(Instant.parse("2200-01-01T00:00:00Z"));
        EventRecorder r = new EventRecorder(future, sink, new EventSource("kubelet", "node-1"));
        r.record(pod("web"), EventTypes.NORMAL, "A", "m");
        r.record(pod("web"), EventTypes.NORMAL, "B", "m");

        assertThat(sink.events()).extracting(e -> e.getMetadata().getName())
                .containsExactly("web.64ba043ac9ba0000", "web.64ba043ac9ba0001");
    }

    @Test
    void clusterScopedObjectsGetEventsInTheDefaultNamespace() {
        ObjectReference node = new ObjectReferenceBuilder().withKind("Node").withName("node-1").withUid("node-1").build();
        recorder.record(node, EventTypes.NORMAL, "NodeReady", "Node node-1 status is now: NodeReady");

        assertThat(sink.events().getFirst().getMetadata().getNamespace()).isEqualTo("default");
        assertThat(sink.forObject("node-1")).hasSize(1);
    }

    @Test
    void boundedCachesEvictLeastRecentlyUsedWithoutBreakingCorrectness() {
        EventRecorder small = new EventRecorder(EventRecorderConfig.DEFAULTS.withCacheEntries(2), clock, sink,
                new EventSource("kubelet", "node-1"));
        small.record(pod("a"), EventTypes.NORMAL, Reasons.PULLED, "m");
        small.record(pod("b"), EventTypes.NORMAL, Reasons.PULLED, "m");
        small.record(pod("a"), EventTypes.NORMAL, Reasons.PULLED, "m"); // a is now most recent
        small.record(pod("c"), EventTypes.NORMAL, Reasons.PULLED, "m"); // evicts b
        small.record(pod("a"), EventTypes.NORMAL, Reasons.PULLED, "m"); // still cached
        small.record(pod("b"), EventTypes.NORMAL, Reasons.PULLED, "m"); // forgotten: a new object

        assertThat(sink.forObject("a")).singleElement().extracting(Event::getCount).isEqualTo(3);
        assertThat(sink.forObject("b")).extracting(Event::getCount).containsExactly(1, 1);
        assertThat(sink.forObject("c")).extracting(Event::getCount).containsExactly(1);
        assertThat(small.cacheSizes()).containsExactly(2, 2, 2);
        assertThat(small.sinkFailures()).isZero();
    }

    @Test
    void defaultCachesStayAt4096EntriesUnderManyObjects() {
        EventRecorderConfig roomy = new EventRecorderConfig(4096, 10, Duration.ofSeconds(600), true, 25,
                Duration.ofSeconds(300));
        EventRecorder r = new EventRecorder(roomy, clock, sink, new EventSource("kubelet", "node-1"));
        for (int i = 0; i < 5000; i++) {
            r.record(pod("p" + i), EventTypes.NORMAL, Reasons.SCHEDULED, "m");
        }
        r.record(pod("p4999"), EventTypes.NORMAL, Reasons.SCHEDULED, "m");

        assertThat(r.cacheSizes()).containsExactly(4096, 4096, 4096);
        assertThat(sink.events()).hasSize(5000);
        assertThat(sink.forObject("p4999")).singleElement().extracting(Event::getCount).isEqualTo(2);
    }

    @Test
    void aFailingSinkIsCountedAndTheNextOccurrenceCreatesTheObject() {
        RecordingEventSink delegate = new RecordingEventSink();
        int[] failuresLeft = {1};
        EventSink flaky = new EventSink() {
            @Override
            public void create(Event e) {
                if (failuresLeft[0]-- > 0) {
                    throw new IllegalStateException("apiserver unavailable");
                }
                delegate.create(e);
            }

            @Override
            public void update(Event e) {
                delegate.update(e);
            }
        };
        EventRecorder r = new EventRecorder(clock, flaky, new EventSource("kubelet", "node-1"));
        r.record(pod("web"), EventTypes.NORMAL, Reasons.PULLED, "m");
        advanceSeconds(1);
        r.record(pod("web"), EventTypes.NORMAL, Reasons.PULLED, "m");

        assertThat(r.sinkFailures()).isEqualTo(1);
        assertThat(delegate.createCalls()).isEqualTo(1);
        assertThat(delegate.updateCalls()).isZero();
        Event e = delegate.events().getFirst();
        assertThat(e.getCount()).isEqualTo(2);
        assertThat(e.getFirstTimestamp()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(e.getLastTimestamp()).isEqualTo("2026-03-01T10:00:01Z");
    }

    @Test
    void concurrentRecordersOfTheSameEventCountEveryOccurrence() throws Exception {
        EventRecorderConfig noSpam = new EventRecorderConfig(4096, 10, Duration.ofSeconds(600), true, 10_000,
                Duration.ofSeconds(300));
        EventRecorder r = new EventRecorder(noSpam, clock, sink, new EventSource("kubelet", "node-1"));
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 500; i++) {
                    r.record(container("web", "app"), EventTypes.WARNING, Reasons.UNHEALTHY, "probe failed");
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(sink.events()).singleElement().extracting(Event::getCount).isEqualTo(4000);
        assertThat(sink.createCalls()).isEqualTo(1);
        assertThat(sink.updateCalls()).isEqualTo(3999);
    }

    @Test
    void sourceWithoutComponentIsRejected() {
        assertThatThrownBy(() -> new EventRecorder(clock, sink, new EventSource(null, "node-1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
