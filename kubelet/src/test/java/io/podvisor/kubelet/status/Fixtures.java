package io.podvisor.kubelet.status;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.Arrays;
import java.util.List;

/** Compact builders for specs and API container statuses used by the table tests. */
final class Fixtures {

    static final String T0 = "2026-01-01T00:00:00Z";

    private Fixtures() {}

    static Container main(String name) {
        return new ContainerBuilder().withName(name).withImage("busybox").build();
    }

    static Container init(String name) {
        return main(name);
    }

    static Container sidecar(String name) {
        return new ContainerBuilder(main(name)).withRestartPolicy("Always").build();
    }

    static PodSpec spec(String restartPolicy, List<Container> inits, Container... mains) {
        return new PodSpecBuilder().withRestartPolicy(restartPolicy)
                .withInitContainers(inits).withContainers(Arrays.asList(mains)).build();
    }

    static PodSpec spec(String restartPolicy, Container... mains) {
        return spec(restartPolicy, List.of(), mains);
    }

    /** Running, started and ready. */
    static ContainerStatus running(String name) {
        return running(name, true, true);
    }

    static ContainerStatus running(String name, boolean started, boolean ready) {
        return base(name, started, ready).withNewState().withNewRunning().withStartedAt(T0)
                .endRunning().endState().build();
    }

    /** Terminated with {@code exit}; ready iff exit 0 (as for a regular init container). */
    static ContainerStatus terminated(String name, int exit) {
        return terminated(name, exit, exit == 0);
    }

    static ContainerStatus terminated(String name, int exit, boolean ready) {
        return base(name, false, ready).withNewState().withNewTerminated().withExitCode(exit)
                .withReason(exit == 0 ? "Completed" : "Error").endTerminated().endState().build();
    }

    /** Terminated now after one earlier run that exited with {@code lastExit}. */
    static ContainerStatus terminatedAfter(String name, int exit, int lastExit) {
        return new ContainerStatusBuilder(terminated(name, exit)).withRestartCount(1)
                .withNewLastState().withNewTerminated().withExitCode(lastExit).endTerminated()
                .endLastState().build();
    }

    /** Running again after one earlier run that exited with {@code lastExit}. */
    static ContainerStatus runningAfter(String name, int restarts, int lastExit) {
        return new ContainerStatusBuilder(running(name)).withRestartCount(restarts)
                .withNewLastState().withNewTerminated().withExitCode(lastExit).endTerminated()
                .endLastState().build();
    }

    /** Waiting with a reason and no previous run. */
    static ContainerStatus waiting(String name, String reason) {
        return base(name, false, false).withNewState().withNewWaiting().withReason(reason)
                .endWaiting().endState().build();
    }

    /** Waiting in CrashLoopBackOff after a run that exited with {@code lastExit}. */
    static ContainerStatus crashLoop(String name, int lastExit) {
        return base(name, false, false).withRestartCount(1)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withExitCode(lastExit).endTerminated()
                .endLastState().build();
    }

    /** A status entry whose state has none of waiting/running/terminated. */
    static ContainerStatus noState(String name) {
        return base(name, false, false).withNewState().endState().build();
    }

    private static ContainerStatusBuilder base(String name, boolean started, boolean ready) {
        return new ContainerStatusBuilder().withName(name).withImage("busybox").withRestartCount(0)
                .withStarted(started).withReady(ready);
    }
}
