package io.podvisor.kubelet.scenarios;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.podvisor.kubelet.harness.NodeHarness;
import java.util.List;
import java.util.stream.Stream;

/** Small read-only views of a pod for scenario assertions. */
final class ScenarioViews {

    private ScenarioViews() {}

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
    static String condition(Pod pod, String type) {
        PodCondition c = pod.getStatus().getConditions().stream().filter(x -> x.getType().equals(type))
                .findFirst().orElseThrow(() -> new AssertionError("no condition " + type));
        return c.getStatus() + " " + dash(c.getReason()) + " " + dash(c.getMessage());
    }

    static String phase(NodeHarness h, String pod) {
        return h.pod(pod).getStatus().getPhase();
    }

    /** Runtime log lines ending with {@code suffix} (e.g. {@code "start app"}). */
    static List<String> log(NodeHarness h, String suffix) {
        return h.runtimeLog().stream().filter(l -> l.endsWith(suffix)).toList();
    }

    /** The pod's events of {@code reason} as {@code "<fieldPath> <count>x <message>"}. */
    static List<String> eventsWithPath(NodeHarness h, String pod, String reason) {
        return h.eventObjects(pod).stream().filter(e -> reason.equals(e.getReason()))
                .map(e -> dash(e.getInvolvedObject().getFieldPath()) + " " + e.getCount() + "x " + e.getMessage())
                .toList();
    }

    static Event only(List<Event> events) {
        if (events.size() != 1) {
            throw new AssertionError("expected one event, got " + events);
        }
        return events.getFirst();
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
