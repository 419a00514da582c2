package io.podvisor.kubelet;

/** The labels and annotations the kubelet puts on runtime sandboxes and containers. */
public final class Labels {

    private Labels() {}

    public static final String POD_UID = "io.kubernetes.pod.uid";
    public static final String POD_NAME = "io.kubernetes.pod.name";
    public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    public static final String CONTAINER_NAME = "io.kubernetes.container.name";
    public static final String CONTAINER_HASH = "io.kubernetes.container.hash";
    public static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
    public static final String CONTAINER_KIND = "io.podvisor.container.kind";
    /** Annotation: the container's {@code terminationMessagePath} (inside the container). */
    public static final String TERMINATION_MESSAGE_PATH = "io.kubernetes.container.terminationMessagePath";
    /** Annotation: the container's {@code terminationMessagePolicy}. */
    public static final String TERMINATION_MESSAGE_POLICY = "io.kubernetes.container.terminationMessagePolicy";
    /** Annotation: the host file mounted at the termination message path. */
    public static final String TERMINATION_MESSAGE_FILE = io.podvisor.runtime.ContainerConfig.TERMINATION_MESSAGE_FILE;
    /**
     * Annotation: the image reference the kubelet found or pulled for the container, shown as
     * {@code imageID} when the runtime does not report one.
     */
    public static final String IMAGE_REF = "io.podvisor.container.imageRef";
}
