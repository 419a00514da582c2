package io.podvisor.kubelet.status;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;

/** Null-tolerant reads of one {@link ContainerStatus}. */
final class ContainerStates {

    private ContainerStates() {}

    static boolean isRunning(ContainerStatus s) {
        ContainerState st = s.getState();
        return st != null && st.getRunning() != null;
    }

    static boolean isTerminated(ContainerStatus s) {
        ContainerState st = s.getState();
        return st != null && st.getTerminated() != null;
    }

    static boolean isWaiting(ContainerStatus s) {
        ContainerState st = s.getState();
        return st != null && st.getWaiting() != null;
    }

    /** Running or terminated right now (a waiting container has not "started" in this sense). */
    static boolean isRunningOrTerminated(ContainerStatus s) {
        return isRunning(s) || isTerminated(s);
    }

    /** Exit code of the current terminated state; call only when {@link #isTerminated}. */
    static int exitCode(ContainerStatus s) {
        return exitCodeOf(s.getState().getTerminated());
    }

    /** The previous run's termination ({@code lastState.terminated}), or null. */
    static ContainerStateTerminated lastTermination(ContainerStatus s) {
        ContainerState last = s.getLastState();
        return last == null ? null : last.getTerminated();
    }

    static int exitCodeOf(ContainerStateTerminated t) {
        Integer code = t.getExitCode();
        return code == null ? 0 : code;
    }

    static boolean isStarted(ContainerStatus s) {
        return Boolean.TRUE.equals(s.getStarted());
    }

    static boolean isReady(ContainerStatus s) {
        return Boolean.TRUE.equals(s.getReady());
    }
}
