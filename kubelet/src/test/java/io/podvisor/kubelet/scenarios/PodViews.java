package io.podvisor.kubelet.scenarios;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
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

    /** The status of main container or init container {@code name} (main first). */
    static ContainerStatus container(Pod pod, String name) {
        var s = pod.getStatus();
        return Stream.concat(s.getContainerStatuses().stream(),
                        s.getInitContainerStatuses() == null ? Stream.empty() : s.getInitContainerStatuses().stream())
                .filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no status for container " + name));
    }

    /** {@code "<ready> <started>"} of container {@code name}, e.g. {@code "false true"}. */
    static String readyStarted(NodeHarness h, String pod, String name) {
        ContainerStatus c = container(h.pod(pod), name);
        return c.getReady() + " " + c.getStarted();
    }

    /** Condition {@code type} as {@code "<status> <reason> <message>"}, nulls printed as {@code -}. */
    static String conditionWithDashes(Pod pod, String type) {
        PodCondition c = pod.getStatus().getConditions().stream().filter(x -> x.getType().equals(type))
                .findFirst().orElseThrow(() -> new AssertionError("no condition " + type));
        return c.getStatus() + " " + dash(c.getReason()) + " " + dash(c.getMessage());
    }

    static String uid(NodeHarness h, String pod) {
        return h.pod(pod).getMetadata().getUid();
    }

    static String phase(NodeHarness h, String pod) {
        return h.pod(pod).getStatus().getPhase();
    }

    /** Runtime log lines ending with {@code suffix} (e.g. {@code "start app"}). */
    static List<String> logEndingWith(NodeHarness h, String suffix) {
        return h.runtimeLog().stream().filter(l -> l.endsWith(suffix)).toList();
    }

    /** The pod's events of {@code reason} as {@code "<fieldPath> <count>x <message>"}. */
    static List<String> eventsWithPath(NodeHarness h, String pod, String reason) {
        return h.eventObjects(pod).stream().filter(e -> reason.equals(e.getReason()))
                .map(e -> dash(e.getInvolvedObject().getFieldPath()) + " " + e.getCount() + "x " + e.getMessage())
                .toList();
    }

    /** The pod's one event of {@code reason}; fails unless there is exactly one. */
    static Event onlyEvent(NodeHarness h, String pod, String reason) {
        List<Event> events = h.eventObjects(pod).stream().filter(e -> reason.equals(e.getReason())).toList();
        if (events.size() != 1) {
            throw new AssertionError("expected one event, got " + events);
        }
        return events.getFirst();
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
