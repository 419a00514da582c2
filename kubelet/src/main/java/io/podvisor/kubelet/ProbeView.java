package io.podvisor.kubelet;

import io.podvisor.runtime.ContainerInfo;

/** The published probe results the planner and status generator read, per container instance. */
public interface ProbeView {

    /** Published results. {@code UNKNOWN} = none yet. */
    enum Result { SUCCESS, FAILURE, UNKNOWN }

    /** The published result of the probe of {@code type} for instance {@code containerId}. */
    Result result(String containerId, ProbeType type);

    /** Probe types. */
    enum ProbeType {
        LIVENESS("Liveness"), READINESS("Readiness"), STARTUP("Startup");

        private final String title;

        ProbeType(String title) {
            this.title = title;
        }

        /** As it appears in messages: {@code Liveness}, {@code Readiness}, {@code Startup}. */
        public String title() {
            return title;
        }
    }

    /** 2.9: running, and its startup probe (if any) has succeeded. */
    default boolean started(PodContainer c, ContainerInfo inst) {
        if (inst == null || inst.state() != io.podvisor.runtime.ContainerState.RUNNING) {
            return false;
        }
        return c.spec().getStartupProbe() == null || result(inst.id(), ProbeType.STARTUP) == Result.SUCCESS;
    }

    /** 7.7: started, and its readiness probe (if any) has succeeded. */
    default boolean ready(PodContainer c, ContainerInfo inst) {
        if (!started(c, inst)) {
            return false;
        }
        return c.spec().getReadinessProbe() == null || result(inst.id(), ProbeType.READINESS) == Result.SUCCESS;
    }
}
