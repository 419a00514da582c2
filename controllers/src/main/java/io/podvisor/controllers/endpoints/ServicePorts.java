package io.podvisor.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServicePort;

/** Resolves a service port's {@code targetPort} against a pod's containers. */
public final class ServicePorts {

    private ServicePorts() {}

    /**
     * The pod port a service port targets: a number as is (the service port itself when
     * {@code targetPort} is unset); a name is looked up in the containers' {@code ports[].name} with
     * the same protocol.
     *
     * @return the port, or -1 when a named port is not found
     */
    public static int resolve(ServicePort sp, Pod pod) {
        IntOrString target = sp.getTargetPort();
        if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
            return sp.getPort();
        }
        if (target.getIntVal() != null) {
            return target.getIntVal();
        }
        String protocol = protocol(sp.getProtocol());
        for (Container c : pod.getSpec().getContainers()) {
            for (ContainerPort p : c.getPorts()) {
                if (target.getStrVal().equals(p.getName()) && protocol.equals(protocol(p.getProtocol()))) {
                    return p.getContainerPort();
                }
            }
        }
        return -1;
    }

    /** The protocol, {@code TCP} when unset. */
    public static String protocol(String p) {
        return p == null || p.isEmpty() ? "TCP" : p;
    }
}
