package io.podvisor.kubelet.scenarios;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.podvisor.kubelet.harness.NodeHarness;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Compact, exact renderings of the parts of a pod status the scenario tests assert on. */
final class PodViews {

    private PodViews() {}

    /** {@code "<status>[ <reason>[ <message>]]"} of condition {@code type}, or {@code "absent"}. */
    static String condition(Pod pod, String type) {
        for (PodCondition c : pod.getStatus().getConditions()) {
            if (type.equals(c.getType())) {
                return Stream.of(c.getStatus(), c.getReason(), c.getMessage())
                        .filter(Objects::nonNull).reduce((a, b) -> a + " " + b).orElseThrow();
            }
        }
        return "absent";
    }

    /** The status of main container {@code name}. */
    static ContainerStatus main(Pod pod, String name) {
        return find(pod.getStatus().getContainerStatuses(), name);
    }

    /** The status of init container (or sidecar) {@code name}. */
    static ContainerStatus init(Pod pod, String name) {
        return find(pod.getStatus().getInitContainerStatuses(), name);
    }

    private static ContainerStatus find(List<ContainerStatus> statuses, String name) {
        return statuses.stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no status for " + name));
    }

    /** {@code "waiting <reason>"}, {@code "running"}, {@code "terminated <reason> <exitCode>"} or {@code "none"}. */
    static String state(ContainerState s) {
        if (s == null) {
            return "none";
        }
        if (s.getWaiting() != null) {
            return "waiting " + s.getWaiting().getReason();
        }
        if (s.getRunning() != null) {
            return "running";
        }
        if (s.getTerminated() != null) {
            return "terminated " + s.getTerminated().getReason() + " " + s.getTerminated().getExitCode();
        }
        return "none";
    }

    /** The runtime log lines about container {@code name} (starts, exits, signals), creations left out. */
    static List<String> log(NodeHarness h, String name) {
        return h.runtimeLog().stream().filter(l -> !l.contains(" create "))
                .filter(l -> List.of(l.split(" ")).contains(name)).toList();
    }

    /** Seconds (since T0) at which container {@code name} was started. */
    static List<Long> starts(NodeHarness h, String name) {
        return h.runtimeLog().stream().filter(l -> l.endsWith(" start " + name))
                .map(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))).toList();
    }
}
