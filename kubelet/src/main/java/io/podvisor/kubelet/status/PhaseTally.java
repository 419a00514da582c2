package io.podvisor.kubelet.status;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.podvisor.api.Containers;

/** The container counters of the phase algorithm (spec 1.2), filled by one walk over the pod. */
final class PhaseTally {

    int pendingInit;
    int failedInit;
    int unknown;
    int running;
    int waiting;
    int stopped;
    int succeeded;

    private PhaseTally() {}

    static PhaseTally of(StatusIndex index) {
        PhaseTally t = new PhaseTally();
        for (Container c : index.inits()) {
            if (Containers.isSidecar(c)) {
                t.countSidecar(index.ofInit(c));
            } else {
                t.countRegularInit(index.ofInit(c));
            }
        }
        for (Container c : index.mains()) {
            t.countMain(index.ofMain(c));
        }
        return t;
    }

    private void countRegularInit(ContainerStatus s) {
        if (s == null || ContainerStates.isRunning(s)) {
            pendingInit++;
        } else if (ContainerStates.isTerminated(s)) {
            if (ContainerStates.exitCode(s) != 0) {
                failedInit++;
            }
        } else if (ContainerStates.isWaiting(s)) {
            ContainerStateTerminated last = ContainerStates.lastTermination(s);
            if (last == null) {
                pendingInit++;
            } else if (ContainerStates.exitCodeOf(last) != 0) {
                failedInit++;
            }
        } else {
            pendingInit++;
        }
    }

    private void countSidecar(ContainerStatus s) {
        if (s == null) {
            unknown++;
        } else if (ContainerStates.isRunning(s)) {
            running++;
            if (!ContainerStates.isStarted(s)) {
                pendingInit++;
            }
        } else if (ContainerStates.isTerminated(s)) {
            return; // a dead sidecar never influences the phase
        } else if (ContainerStates.isWaiting(s)) {
            if (ContainerStates.lastTermination(s) == null) {
                pendingInit++;
                waiting++;
            }
        } else {
            pendingInit++;
            unknown++;
        }
    }

    private void countMain(ContainerStatus s) {
        if (s == null) {
            unknown++;
        } else if (ContainerStates.isRunning(s)) {
            running++;
        } else if (ContainerStates.isTerminated(s)) {
            stopped++;
            if (ContainerStates.exitCode(s) == 0) {
                succeeded++;
            }
        } else if (ContainerStates.isWaiting(s)) {
            if (ContainerStates.lastTermination(s) != null) {
                stopped++;
            } else {
                waiting++;
            }
        } else {
            unknown++;
        }
    }
}
