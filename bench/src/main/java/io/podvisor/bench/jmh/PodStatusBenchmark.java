package io.podvisor.bench.jmh;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.podvisor.kubelet.status.PodConditions;
import io.podvisor.kubelet.status.PodPhases;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The kubelet's pod status generation, as every pod sync runs it: the phase from the spec and the
 * container statuses (sticky over the previous phase), then the pod conditions against the
 * previous ones. {@code scenario}: {@code running} (all ready) or {@code crashloop} (the app
 * container waits in back-off).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PodStatusBenchmark {

    @Param({"running", "crashloop"})
    public String scenario;

    private PodSpec spec;
    private List<ContainerStatus> init;
    private List<ContainerStatus> main;
    private List<PodCondition> previous;

    @Setup
    public void setUp() {
        Pod pod = Fixtures.pod("web-0", scenario.equals("crashloop"));
        spec = pod.getSpec();
        init = pod.getStatus().getInitContainerStatuses();
        main = pod.getStatus().getContainerStatuses();
        previous = pod.getStatus().getConditions();
    }

    /** Phase and conditions of one pod. */
    @Benchmark
    public void phaseAndConditions(Blackhole bh) {
        String phase = PodPhases.sticky("Running", PodPhases.compute(spec, init, main, false, false));
        bh.consume(phase);
        bh.consume(PodConditions.compute(new PodConditions.Input(spec, phase, init, main, true, previous, Fixtures.NOW)));
    }
}
