package io.podvisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QosClassesTest {

    private static final String G = "Guaranteed";
    private static final String B = "Burstable";
    private static final String BE = "BestEffort";

    /** A container with resources written as {@code "cpu=1,memory=1Gi"}; empty string = none. */
    private static Container c(String name, String requests, String limits) {
        return new ContainerBuilder().withName(name).withImage("busybox")
                .withNewResources().withRequests(q(requests)).withLimits(q(limits)).endResources()
                .build();
    }

    private static Container sidecar(String name, String requests, String limits) {
        return new ContainerBuilder(c(name, requests, limits)).withRestartPolicy("Always").build();
    }

    private static Map<String, Quantity> q(String spec) {
        Map<String, Quantity> out = new LinkedHashMap<>();
        if (!spec.isEmpty()) {
            for (String kv : spec.split(",")) {
                String[] p = kv.split("=");
                out.put(p[0], new Quantity(p[1]));
            }
        }
        return out;
    }

    private static PodSpec pod(List<Container> inits, List<Container> mains) {
        return new PodSpecBuilder().withInitContainers(inits).withContainers(mains).build();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no resources at all", pod(List.of(), List.of(c("a", "", ""))), BE),
                Arguments.of("only zero quantities",
                        pod(List.of(), List.of(c("a", "cpu=0", "memory=0"))), BE),
                Arguments.of("only non cpu/memory resources",
                        pod(List.of(), List.of(c("a", "ephemeral-storage=1Gi", "hugepages-2Mi=2Mi"))), BE),
                Arguments.of("limits only: requests default from limits",
                        pod(List.of(), List.of(c("a", "", "cpu=1,memory=1Gi"))), G),
                Arguments.of("requests equal limits in other notations",
                        pod(List.of(), List.of(c("a", "cpu=1000m,memory=1024Mi", "cpu=1,memory=1Gi"))), G),
                Arguments.of("0.5 cpu equals 500m",
                        pod(List.of(), List.of(c("a", "cpu=0.5,memory=1G", "cpu=500m,memory=1000M"))), G),
                Arguments.of("two guaranteed mains",
                        pod(List.of(), List.of(c("a", "", "cpu=1,memory=1Gi"),
                                c("b", "cpu=200m,memory=64Mi", "cpu=200m,memory=64Mi"))), G),
                Arguments.of("request below limit",
                        pod(List.of(), List.of(c("a", "cpu=500m,memory=1Gi", "cpu=1,memory=1Gi"))), B),
                Arguments.of("requests only", pod(List.of(), List.of(c("a", "cpu=100m", ""))), B),
                Arguments.of("memory limit only", pod(List.of(), List.of(c("a", "", "memory=1Gi"))), B),
                Arguments.of("zero cpu limit is ignored, so cpu limit missing",
                        pod(List.of(), List.of(c("a", "", "cpu=0,memory=1Gi"))), B),
                Arguments.of("explicit zero cpu request is not defaulted and is ignored",
                        pod(List.of(), List.of(c("a", "cpu=0,memory=1Gi", "cpu=1,memory=1Gi"))), B),
                Arguments.of("one guaranteed main, one without resources",
                        pod(List.of(), List.of(c("a", "", "cpu=1,memory=1Gi"), c("b", "", ""))), B),
                Arguments.of("sidecar without resources makes a guaranteed pod burstable",
                        pod(List.of(sidecar("s", "", "")), List.of(c("a", "", "cpu=1,memory=1Gi"))), B),
                Arguments.of("sidecar with its own resources alone makes the pod burstable",
                        pod(List.of(sidecar("s", "cpu=10m", "")), List.of(c("a", "", ""))), B),
                Arguments.of("regular init with a request counts",
                        pod(List.of(c("i", "memory=10Mi", "")), List.of(c("a", "", ""))), B),
                Arguments.of("guaranteed init, sidecar and main",
                        pod(List.of(c("i", "", "cpu=1,memory=1Gi"), sidecar("s", "", "cpu=100m,memory=10Mi")),
                                List.of(c("a", "cpu=2,memory=2Gi", "cpu=2,memory=2Gi"))), G));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void computesQosClass(String name, PodSpec spec, String expected) {
        assertThat(QosClasses.compute(spec)).isEqualTo(expected);
    }

    @Test
    void containersWithoutResourcesBlockAreBestEffort() {
        PodSpec spec = new PodSpecBuilder()
                .addNewContainer().withName("a").withImage("x").endContainer().build();
        assertThat(QosClasses.compute(spec)).isEqualTo(BE);
    }

    @Test
    void limitsTooLargeForANumberAreSummedWithoutExpandingThem() {
        // 1e999999999 + 1e30 would be a billion-digit sum; bounded amounts keep the computation instant
        PodSpec spec = new PodSpecBuilder().withContainers(
                c("a", "cpu=1,memory=1e999999999", "cpu=1,memory=1e999999999"),
                c("b", "cpu=1,memory=1e30", "cpu=1,memory=1e30")).build();
        PodSpec mixed = new PodSpecBuilder().withContainers(
                c("a", "cpu=1e-999999999,memory=1Mi", "cpu=1e999999,memory=1e999999999"),
                c("b", "", "cpu=2,memory=1e30")).build();
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            assertThat(QosClasses.compute(spec)).isEqualTo(G);
            assertThat(QosClasses.compute(mixed)).isEqualTo(B);
        });
    }
}
