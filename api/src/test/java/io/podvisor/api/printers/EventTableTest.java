package io.podvisor.api.printers;

import static io.podvisor.api.printers.TableCases.cells;
import static io.podvisor.api.printers.TableCases.headers;
import static io.podvisor.api.printers.TableCases.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.api.printers.TableCases.Case;
import io.podvisor.api.resources.ResourceTypes;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventTableTest {

    static Stream<Case> coreEvents() {
        return Stream.of(
                of("kubelet event repeated", """
                        metadata: {name: web.17f3a, namespace: default}
                        involvedObject: {kind: Pod, name: web, fieldPath: "spec.containers{app}"}
                        reason: BackOff
                        message: "Back-off restarting failed container app in pod web_default(8ba2)\\n"
                        type: Warning
                        source: {component: kubelet, host: node-1}
                        firstTimestamp: "2026-03-01T11:50:00Z"
                        lastTimestamp: "2026-03-01T11:59:48Z"
                        count: 5
                        """, "12s", "Warning", "BackOff", "pod/web", "spec.containers{app}", "kubelet, node-1",
                        "Back-off restarting failed container app in pod web_default(8ba2)", "10m", 5L, "web.17f3a"),
                of("singleton from the new API: eventTime (microseconds truncate), reporting fields, count 1", """
                        metadata: {name: web.a1, namespace: default}
                        involvedObject: {kind: Pod, name: web}
                        reason: Scheduled
                        message: Successfully assigned default/web to node-1
                        type: Normal
                        eventTime: "2026-03-01T11:58:00.123456Z"
                        reportingComponent: default-scheduler
                        reportingInstance: default-scheduler-node-1
                        """, "119s", "Normal", "Scheduled", "pod/web", "", "default-scheduler, default-scheduler-node-1",
                        "Successfully assigned default/web to node-1", "119s", 1L, "web.a1"),
                of("series overrides last seen and count", """
                        metadata: {name: n.b2}
                        involvedObject: {kind: Node, name: node-1}
                        reason: NodeNotReady
                        type: Normal
                        source: {component: node-controller}
                        eventTime: "2026-03-01T11:00:00.000000Z"
                        series: {count: 7, lastObservedTime: "2026-03-01T11:59:30.000000Z"}
                        """, "30s", "Normal", "NodeNotReady", "node/node-1", "", "node-controller", "", "60m", 7L, "n.b2"),
                of("no times at all", """
                        metadata: {name: x}
                        involvedObject: {kind: Namespace}
                        reason: Odd
                        """, "<unknown>", "", "Odd", "namespace", "", "", "", "<unknown>", 1L, "x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("coreEvents")
    void coreEventCells(Case c) {
        assertThat(cells(ResourceTypes.EVENTS, c.yaml())).containsExactlyElementsOf(c.cells());
    }

    @Test
    void eventsApiEventsUseTheSamePrinter() {
        String yaml = """
                apiVersion: events.k8s.io/v1
                kind: Event
                metadata: {name: web.c3, namespace: default}
                regarding: {kind: Pod, name: web, fieldPath: "spec.containers{app}"}
                reason: Pulled
                note: Container image "nginx" already present on machine
                type: Normal
                eventTime: "2026-03-01T11:59:00.000000Z"
                reportingController: kubelet
                reportingInstance: node-1
                deprecatedFirstTimestamp: "2026-03-01T11:40:00Z"
                deprecatedLastTimestamp: "2026-03-01T11:55:00Z"
                deprecatedCount: 4
                """;
        assertThat(cells(ResourceTypes.EVENTS_V1, yaml)).containsExactly("5m", "Normal", "Pulled", "pod/web",
                "spec.containers{app}", "kubelet, node-1", "Container image \"nginx\" already present on machine",
                "20m", 4L, "web.c3");
        assertThat(Tables.columns(ResourceTypes.EVENTS_V1)).isEqualTo(Tables.columns(ResourceTypes.EVENTS));
    }

    @Test
    void columnsAreUpstreams() {
        assertThat(headers(ResourceTypes.EVENTS)).containsExactly("Last Seen", "Type", "Reason", "Object",
                "Subobject*", "Source*", "Message", "First Seen*", "Count*", "Name*");
        assertThat(Tables.columns(ResourceTypes.EVENTS).get(9).format()).isEqualTo("name");
        assertThat(Tables.columns(ResourceTypes.EVENTS).get(0).format()).isEmpty();
    }
}
