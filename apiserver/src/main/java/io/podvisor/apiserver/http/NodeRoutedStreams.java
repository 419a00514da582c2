package io.podvisor.apiserver.http;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.api.errors.ApiException;
import io.podvisor.core.TerminalSizes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/**
 * The API server's {@link ContainerStreams} for a cluster of nodes: a pod bound to this process's
 * own node ({@code spec.nodeName}) is served by the local kubelet in-process, a pod bound to
 * another node by that node's kubelet endpoint ({@link KubeletClient}). A pod not yet bound has no
 * logs (an empty answer, as kube-apiserver gives) and no exec (upstream's 400
 * {@code pod <name> does not have a host assigned}).
 */
public final class NodeRoutedStreams implements ContainerStreams {

    private final String localNode;
    private final ContainerStreams local;
    private final ContainerStreams remote;

    public NodeRoutedStreams(String localNode, ContainerStreams local, ContainerStreams remote) {
        this.localNode = Objects.requireNonNull(localNode);
        this.local = Objects.requireNonNull(local);
        this.remote = Objects.requireNonNull(remote);
    }

    @Override
    public void logs(Pod pod, String container, LogOptions options, OutputStream out) throws IOException {
        String node = nodeName(pod);
        if (node.isEmpty()) {
            return;
        }
        (node.equals(localNode) ? local : remote).logs(pod, container, options, out);
    }

    @Override
    public int exec(Pod pod, String container, List<String> command, InputStream stdin, OutputStream stdout,
            OutputStream stderr, boolean tty) throws IOException {
        return on(pod).exec(pod, container, command, stdin, stdout, stderr, tty);
    }

    @Override
    public int exec(Pod pod, String container, List<String> command, InputStream stdin, OutputStream stdout,
            OutputStream stderr, boolean tty, TerminalSizes sizes) throws IOException {
        return on(pod).exec(pod, container, command, stdin, stdout, stderr, tty, sizes);
    }

    @Override
    public void attach(Pod pod, String container, InputStream stdin, OutputStream stdout, OutputStream stderr,
            TerminalSizes sizes) throws IOException {
        on(pod).attach(pod, container, stdin, stdout, stderr, sizes);
    }

    /** The streams of the pod's node; a pod without a node has none. */
    private ContainerStreams on(Pod pod) {
        String node = nodeName(pod);
        if (node.isEmpty()) {
            throw new ApiException.BadRequest("pod " + pod.getMetadata().getName() + " does not have a host assigned");
        }
        return node.equals(localNode) ? local : remote;
    }

    /**
     * Where port-forward connects for {@code pod}: this node's pods by their IP, another node's
     * through its kubelet when that is a {@link KubeletClient}.
     */
    PodDialer portForwardDialer(Pod pod, int connectTimeoutMillis) {
        String node = nodeName(pod);
        if (!node.equals(localNode) && remote instanceof KubeletClient kubelet) {
            return kubelet.portForwardDialer(pod);
        }
        return PodDialer.podIp(pod, connectTimeoutMillis);
    }

    private static String nodeName(Pod pod) {
        String n = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return n == null ? "" : n;
    }
}
