package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.Yaml;
import java.util.ArrayList;
import java.util.List;

/**
 * A container of a pod with its role, position and spec hash.
 *
 * @param index position within its list (initContainers or containers)
 * @param hash  a hash of the container's spec; a change means "definition changed"
 */
public record PodContainer(Container spec, ContainerKind kind, int index, String hash) {

    public String name() {
        return spec.getName();
    }

    /** Init containers (incl. sidecars) in spec order, then main containers in spec order. */
    public static List<PodContainer> of(Pod pod) {
        List<PodContainer> out = new ArrayList<>();
        var spec = pod.getSpec();
        if (spec.getInitContainers() != null) {
            for (int i = 0; i < spec.getInitContainers().size(); i++) {
                Container c = spec.getInitContainers().get(i);
                out.add(new PodContainer(c, ContainerKind.ofInit(c), i, hash(c)));
            }
        }
        for (int i = 0; i < spec.getContainers().size(); i++) {
            Container c = spec.getContainers().get(i);
            out.add(new PodContainer(c, ContainerKind.MAIN, i, hash(c)));
        }
        return out;
    }

    static String hash(Container c) {
        return Integer.toHexString(Yaml.json(c).hashCode());
    }
}
