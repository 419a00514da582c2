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

class JobTableTest {

    private static final String SPEC = """
            spec:
              completions: 1
              parallelism: 1
              selector: {matchLabels: {batch.kubernetes.io/controller-uid: 5d1e}}
              template:
                spec:
                  restartPolicy: Never
                  containers: [{name: pi, image: perl:5.34}, {name: log, image: busybox}]
            """;
    private static final String SELECTOR = "batch.kubernetes.io/controller-uid=5d1e";

    private static String job(String metadataExtra, String spec, String status) {
        return "metadata: {name: pi, creationTimestamp: \"2026-03-01T11:00:00Z\"" + metadataExtra + "}\n"
                + spec + "status:\n" + status;
    }

    static Stream<Case> jobs() {
        return Stream.of(
                of("complete", job("", SPEC, """
                          startTime: "2026-03-01T11:00:01Z"
                          completionTime: "2026-03-01T11:00:48Z"
                          succeeded: 1
                          conditions:
                          - {type: SuccessCriteriaMet, status: "True"}
                          - {type: Complete, status: "True"}
                        """), "pi", "Complete", "1/1", "47s", "60m", "pi,log", "perl:5.34,busybox", SELECTOR),
                of("running measures to now", job("", SPEC, """
                          startTime: "2026-03-01T11:57:00Z"
                          active: 1
                        """), "pi", "Running", "0/1", "3m", "60m", "pi,log", "perl:5.34,busybox", SELECTOR),
                of("not started has no duration", job("", SPEC, "  active: 0\n"),
                        "pi", "Running", "0/1", "", "60m", "pi,log", "perl:5.34,busybox", SELECTOR),
                of("parallel without completions", job("", SPEC.replace("completions: 1\n  parallelism: 1",
                        "parallelism: 3"), """
                          startTime: "2026-03-01T11:00:00Z"
                          succeeded: 2
                        """), "pi", "Running", "2/1 of 3", "60m", "60m", "pi,log", "perl:5.34,busybox", SELECTOR),
                of("failed", job("", SPEC.replace("completions: 1", "completions: 5"), """
                          startTime: "2026-03-01T11:00:00Z"
                          succeeded: 2
                          failed: 7
                          conditions:
                          - {type: FailureTarget, status: "True"}
                          - {type: Failed, status: "True", reason: BackoffLimitExceeded}
                        """), "pi", "Failed", "2/5", "60m", "60m", "pi,log", "perl:5.34,busybox", SELECTOR),
                of("failure target before the terminal condition", job("", SPEC, """
                          startTime: "2026-03-01T11:00:00Z"
                          conditions: [{type: FailureTarget, status: "True"}]
                        """), "pi", "FailureTarget", "0/1", "60m", "60m", "pi,log", "perl:5.34,busybox", SELECTOR),
                of("terminating outranks suspended", job(", deletionTimestamp: \"2026-03-01T11:59:00Z\"", SPEC,
                        "  conditions: [{type: Suspended, status: \"True\"}]\n"),
                        "pi", "Terminating", "0/1", "", "60m", "pi,log", "perl:5.34,busybox", SELECTOR),
                of("suspended", job("", SPEC, """
                          conditions:
                          - {type: Suspended, status: "True"}
                          - {type: Complete, status: "False"}
                        """), "pi", "Suspended", "0/1", "", "60m", "pi,log", "perl:5.34,busybox", SELECTOR),
                of("success criteria met alone still reads Running in 1.33", job("", SPEC, """
                          startTime: "2026-03-01T11:59:00Z"
                          conditions: [{type: SuccessCriteriaMet, status: "True"}]
                        """), "pi", "Running", "0/1", "60s", "60m", "pi,log", "perl:5.34,busybox", SELECTOR),
                of("selector expressions sorted by key", job("", SPEC.replace(
                        "{matchLabels: {batch.kubernetes.io/controller-uid: 5d1e}}",
                        "{matchLabels: {tier: web}, matchExpressions: [{key: env, operator: In, values: [qa, dev]}, "
                                + "{key: zone, operator: DoesNotExist}, {key: app, operator: Exists}]}"), "  active: 0\n"),
                        "pi", "Running", "0/1", "", "60m", "pi,log", "perl:5.34,busybox",
                        "app,env in (dev,qa),tier=web,!zone"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void cellsMatchKubectl(Case c) {
        assertThat(cells(ResourceTypes.JOBS, c.yaml())).containsExactlyElementsOf(c.cells());
    }

    @Test
    void columnsAreUpstreams() {
        assertThat(headers(ResourceTypes.JOBS)).containsExactly("Name", "Status", "Completions", "Duration", "Age",
                "Containers*", "Images*", "Selector*");
    }

    @Test
    void absentSelectorPrintsNone() {
        String yaml = "metadata: {name: bare}\nspec: {template: {spec: {containers: [{name: a, image: b}]}}}\n";
        assertThat(cells(ResourceTypes.JOBS, yaml)).containsExactly("bare", "Running", "0/1", "", "<unknown>", "a",
                "b", "<none>");
    }
}
