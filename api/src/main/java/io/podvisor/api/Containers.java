package io.podvisor.api;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.List;

/** Small facts about containers of a pod spec that several modules need. */
public final class Containers {

    /** The container-level restart policy that marks an init container as a native sidecar. */
    public static final String RESTART_ALWAYS = "Always";

    private Containers() {}

    /**
     * Every container of a pod spec: init containers (sidecars included) in spec order, then main
     * containers in spec order.
     *
     * @param spec the pod spec; null has no containers
     * @return a new list
     */
    public static List<Container> all(PodSpec spec) {
        List<Container> all = new ArrayList<>();
        if (spec != null) {
            if (spec.getInitContainers() != null) {
                all.addAll(spec.getInitContainers());
            }
            if (spec.getContainers() != null) {
                all.addAll(spec.getContainers());
            }
        }
        return all;
    }

    /**
     * Whether {@code c}, an entry of {@code spec.initContainers}, is a native sidecar (a restartable
     * init container): its own {@code restartPolicy} is {@code Always}. Only meaningful for init
     * containers; a null container is not a sidecar.
     *
     * @param c an init container
     * @return true iff its restartPolicy is exactly {@code Always}
     */
    public static boolean isSidecar(Container c) {
        return c != null && RESTART_ALWAYS.equals(c.getRestartPolicy());
    }

    /**
     * The port number a probe or hook names: a number as is, or a name looked up in the
     * container's {@code ports[].name}.
     *
     * @return the port, or -1 if it is missing or the name is not found
     */
    public static int resolvePort(IntOrString port, Container c) {
        if (port == null) {
            return -1;
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        if (c.getPorts() != null) {
            for (ContainerPort p : c.getPorts()) {
                if (port.getStrVal().equals(p.getName())) {
                    return p.getContainerPort();
                }
            }
        }
        return -1;
    }
}
