package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Container;

/** The three roles a container of a pod can have. */
public enum ContainerKind {
    /** An init container without {@code restartPolicy}: runs to completion before the next. */
    INIT,
    /** An init container with {@code restartPolicy: Always}: a native sidecar. */
    SIDECAR,
    /** An entry of {@code spec.containers}. */
    MAIN;

    public static ContainerKind ofInit(Container c) {
        return "Always".equals(c.getRestartPolicy()) ? SIDECAR : INIT;
    }

    /** The {@code involvedObject.fieldPath} of events about container {@code name}. */
    public String fieldPath(String name) {
        return (this == MAIN ? "spec.containers{" : "spec.initContainers{") + name + "}";
    }
}
