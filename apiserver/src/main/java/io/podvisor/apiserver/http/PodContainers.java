package io.podvisor.apiserver.http;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.errors.ApiException;
import java.util.ArrayList;
import java.util.List;

/** Picks the container a log or exec request addresses, with upstream's messages. */
final class PodContainers {

    private PodContainers() {}

    /**
     * The container named {@code requested}, or the pod's only container when none is named.
     *
     * @throws ApiException.BadRequest {@code a container name must be specified for pod web, choose
     *     one of: [a b]} or {@code container x is not valid for pod web}
     */
    static String resolve(Pod pod, String requested) {
        String podName = pod.getMetadata().getName();
        List<String> main = names(pod.getSpec() == null ? null : pod.getSpec().getContainers());
        if (requested == null || requested.isEmpty()) {
            if (main.size() == 1) {
                return main.getFirst();
            }
            if (main.isEmpty()) {
                throw new ApiException.BadRequest("a container name must be specified for pod " + podName);
            }
            String msg = "a container name must be specified for pod " + podName + ", choose one of: ["
                    + String.join(" ", main) + "]";
            List<String> init = names(pod.getSpec().getInitContainers());
            if (!init.isEmpty()) {
                msg += " or one of the init containers: [" + String.join(" ", init) + "]";
            }
            throw new ApiException.BadRequest(msg);
        }
        if (!all(pod).contains(requested)) {
            throw new ApiException.BadRequest("container " + requested + " is not valid for pod " + podName);
        }
        return requested;
    }

    private static List<String> all(Pod pod) {
        List<String> out = new ArrayList<>();
        if (pod.getSpec() == null) {
            return out;
        }
        out.addAll(names(pod.getSpec().getContainers()));
        out.addAll(names(pod.getSpec().getInitContainers()));
        List<EphemeralContainer> eph = pod.getSpec().getEphemeralContainers();
        if (eph != null) {
            eph.forEach(e -> out.add(e.getName()));
        }
        return out;
    }

    private static List<String> names(List<Container> containers) {
        return containers == null ? List.of() : containers.stream().map(Container::getName).toList();
    }
}
