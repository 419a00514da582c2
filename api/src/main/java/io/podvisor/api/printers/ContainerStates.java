package io.podvisor.api.printers;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.podvisor.api.Times;
import java.time.Instant;

/** Null-tolerant reads of a fabric8 {@link ContainerStatus}, with Go zero values for absent fields. */
final class ContainerStates {

    private ContainerStates() {}

    static ContainerStateWaiting waiting(ContainerStatus s) {
        ContainerState state = s.getState();
        return state == null ? null : state.getWaiting();
    }

    static ContainerStateTerminated terminated(ContainerStatus s) {
        ContainerState state = s.getState();
        return state == null ? null : state.getTerminated();
    }

    static boolean running(ContainerStatus s) {
        ContainerState state = s.getState();
        return state != null && state.getRunning() != null;
    }

    static String waitingReason(ContainerStatus s) {
        ContainerStateWaiting w = waiting(s);
        return w == null ? "" : orEmpty(w.getReason());
    }

    static boolean ready(ContainerStatus s) {
        return Boolean.TRUE.equals(s.getReady());
    }

    static boolean started(ContainerStatus s) {
        return Boolean.TRUE.equals(s.getStarted());
    }

    static int restartCount(ContainerStatus s) {
        return s.getRestartCount() == null ? 0 : s.getRestartCount();
    }

    static int exitCode(ContainerStateTerminated t) {
        return t.getExitCode() == null ? 0 : t.getExitCode();
    }

    static int signal(ContainerStateTerminated t) {
        return t.getSignal() == null ? 0 : t.getSignal();
    }

    /** {@code Signal:<n>} when a signal is recorded, else {@code ExitCode:<code>}. */
    static String signalOrExitCode(ContainerStateTerminated t) {
        int signal = signal(t);
        return signal != 0 ? "Signal:" + signal : "ExitCode:" + exitCode(t);
    }

    /** When the previous instance finished, or null if there was none or it has no finishedAt. */
    static Instant lastFinishedAt(ContainerStatus s) {
        ContainerState last = s.getLastState();
        if (last == null || last.getTerminated() == null) {
            return null;
        }
        return Times.parse(last.getTerminated().getFinishedAt());
    }

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
