package io.podvisor.api.printers;

import static io.podvisor.api.printers.TableCases.cells;
import static io.podvisor.api.printers.TableCases.headers;
import static io.podvisor.api.printers.TableCases.of;
import static io.podvisor.api.printers.TableCases.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.api.printers.TableCases.Case;
import io.podvisor.api.printers.Tables.RowCondition;
import io.podvisor.api.resources.ResourceTypes;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PodTableTest {

    private static final String RUNNING = """
            metadata: {name: web, namespace: default, creationTimestamp: "2026-03-01T10:58:00Z"}
            spec:
              nodeName: node-1
              containers: [{name: app, image: nginx}]
            status:
              phase: Running
              podIP: 10.244.0.5
              podIPs: [{ip: 10.244.0.5}]
              conditions: [{type: Ready, status: "True"}]
              containerStatuses:
              - name: app
                ready: true
                restartCount: 0
                state: {running: {startedAt: "2026-03-01T10:58:05Z"}}
            """;

    static Stream<Case> pods() {
        return Stream.of(
                of("running", RUNNING, "web", "1/1", "Running", "0", "62m", "10.244.0.5", "node-1", "<none>", "<none>"),
                of("crash looping with a recent restart", """
                        metadata: {name: crash, creationTimestamp: "2026-03-01T11:00:00Z"}
                        spec: {nodeName: node-1, containers: [{name: app, image: busybox}]}
                        status:
                          phase: Running
                          podIPs: [{ip: 10.88.0.7}]
                          containerStatuses:
                          - name: app
                            ready: false
                            restartCount: 3
                            state: {waiting: {reason: CrashLoopBackOff}}
                            lastState: {terminated: {exitCode: 1, reason: Error, finishedAt: "2026-03-01T11:55:00Z"}}
                        """, "crash", "0/1", "CrashLoopBackOff", "3 (5m ago)", "60m", "10.88.0.7", "node-1",
                        "<none>", "<none>"),
                of("pending, unscheduled, only podIP in status", """
                        metadata: {name: queued, creationTimestamp: "2026-03-01T11:59:30Z"}
                        spec: {containers: [{name: a, image: x}, {name: b, image: y}]}
                        status: {phase: Pending, podIP: 10.1.1.1, nominatedNodeName: node-2}
                        """, "queued", "0/2", "Pending", "0", "30s", "10.1.1.1", "<none>", "node-2", "<none>"),
                of("terminating while running", RUNNING.replace("name: web,",
                        "name: web, deletionTimestamp: \"2026-03-01T11:59:50Z\","),
                        "web", "1/1", "Terminating", "0", "62m", "10.244.0.5", "node-1", "<none>", "<none>"),
                of("deleted after succeeding keeps its phase", """
                        metadata: {name: done, creationTimestamp: "2026-02-27T12:00:00Z", deletionTimestamp: "2026-03-01T11:59:00Z"}
                        spec: {nodeName: node-1, containers: [{name: app, image: busybox}]}
                        status:
                          phase: Succeeded
                          containerStatuses:
                          - {name: app, ready: false, restartCount: 0, state: {terminated: {exitCode: 0, reason: Completed}}}
                        """, "done", "0/1", "Completed", "0", "2d", "<none>", "node-1", "<none>", "<none>"),
                of("readiness gates counted", RUNNING.replace("spec:\n", """
                        spec:
                          readinessGates: [{conditionType: "example.com/lb"}, {conditionType: "example.com/dns"}]
                        """).replace("conditions: [{type: Ready, status: \"True\"}]",
                        "conditions: [{type: Ready, status: \"False\"}, {type: example.com/dns, status: \"True\"}, "
                                + "{type: example.com/lb, status: \"False\"}]"),
                        "web", "1/1", "Running", "0", "62m", "10.244.0.5", "node-1", "<none>", "1/2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void cellsMatchKubectl(Case c) {
        assertThat(cells(ResourceTypes.PODS, c.yaml())).containsExactlyElementsOf(c.cells());
    }

    @Test
    void columnsAreUpstreams() {
        assertThat(headers(ResourceTypes.PODS)).containsExactly("Name", "Ready", "Status", "Restarts", "Age", "IP*",
                "Node*", "Nominated Node*", "Readiness Gates*");
        assertThat(Tables.columns(ResourceTypes.PODS)).allSatisfy(c -> assertThat(c.type()).isEqualTo("string"));
        assertThat(Tables.columns(ResourceTypes.PODS).get(0).format()).isEqualTo("name");
        assertThat(Tables.columns(ResourceTypes.PODS).get(1).format()).isEmpty();
    }

    @Test
    void finishedPodsCarryACompletedRowCondition() {
        String succeeded = "metadata: {name: a}\nstatus: {phase: Succeeded}\n";
        String failed = "metadata: {name: b}\nstatus: {phase: Failed}\n";
        assertThat(Tables.conditions(ResourceTypes.PODS, read(ResourceTypes.PODS, succeeded))).containsExactly(
                new RowCondition("Completed", "True", "Succeeded", "The pod has completed successfully."));
        assertThat(Tables.conditions(ResourceTypes.PODS, read(ResourceTypes.PODS, failed))).containsExactly(
                new RowCondition("Completed", "True", "Failed", "The pod failed."));
        assertThat(Tables.conditions(ResourceTypes.PODS, read(ResourceTypes.PODS, RUNNING))).isEmpty();
    }
}
