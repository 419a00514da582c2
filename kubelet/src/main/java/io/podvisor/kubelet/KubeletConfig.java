package io.podvisor.kubelet;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one kubelet.
 *
 * @param nodeName          the node this kubelet runs pods for
 * @param nodeIp            the node's address, shown as {@code status.hostIP} and the Node's InternalIP
 * @param relistPeriod      how often the runtime is relisted for container changes (1 s upstream)
 * @param kubernetesVersion "major.minor", used in the probes' User-Agent
 * @param rootDir           the kubelet's state directory (upstream {@code /var/lib/kubelet}); its
 *                          filesystem is the node's {@code ephemeral-storage}; null: {@code /}
 * @param podLogsDir        where container logs go (upstream {@code /var/log/pods}); null: no logs
 * @param staticPodPath     the static pod manifest directory; null: no static pods
 * @param fileCheckPeriod   how often {@code staticPodPath} is re-read (20 s upstream)
 * @param maxPods           the pods this node takes, its {@code pods} capacity (upstream's
 *                          {@code --max-pods}, default {@value #DEFAULT_MAX_PODS})
 * @param kubeletPort       the port of the kubelet's endpoint, the Node's
 *                          {@code status.daemonEndpoints.kubeletEndpoint.Port} (upstream 10250)
 */
public record KubeletConfig(String nodeName, String nodeIp, Duration relistPeriod, String kubernetesVersion,
                            Path rootDir, Path podLogsDir, Path staticPodPath, Duration fileCheckPeriod, int maxPods,
                            int kubeletPort) {

    /** Upstream kubelet's default {@code --max-pods}. */
    public static final int DEFAULT_MAX_PODS = 110;
    /** Upstream kubelet's default {@code --port}. */
    public static final int DEFAULT_KUBELET_PORT = 10250;

    /** The settings without directories: no logs, no static pods. */
    public KubeletConfig(String nodeName, String nodeIp, Duration relistPeriod, String kubernetesVersion) {
        this(nodeName, nodeIp, relistPeriod, kubernetesVersion, null, null, null, Duration.ofSeconds(20), DEFAULT_MAX_PODS,
                DEFAULT_KUBELET_PORT);
    }

    public static KubeletConfig defaults(String nodeName) {
        return new KubeletConfig(nodeName, "127.0.0.1", Duration.ofSeconds(1), "1.33");
    }

    public KubeletConfig withRootDir(Path dir) {
        return new KubeletConfig(nodeName, nodeIp, relistPeriod, kubernetesVersion, dir, podLogsDir, staticPodPath,
                fileCheckPeriod, maxPods, kubeletPort);
    }

    public KubeletConfig withPodLogsDir(Path dir) {
        return new KubeletConfig(nodeName, nodeIp, relistPeriod, kubernetesVersion, rootDir, dir, staticPodPath,
                fileCheckPeriod, maxPods, kubeletPort);
    }

    public KubeletConfig withStaticPodPath(Path dir, Duration checkPeriod) {
        return new KubeletConfig(nodeName, nodeIp, relistPeriod, kubernetesVersion, rootDir, podLogsDir, dir,
                checkPeriod, maxPods, kubeletPort);
    }

    public KubeletConfig withMaxPods(int pods) {
        if (pods < 1) {
            throw new IllegalArgumentException("max pods must be at least 1, not " + pods);
        }
        return new KubeletConfig(nodeName, nodeIp, relistPeriod, kubernetesVersion, rootDir, podLogsDir, staticPodPath,
                fileCheckPeriod, pods, kubeletPort);
    }

    public KubeletConfig withNodeIp(String ip) {
        return new KubeletConfig(nodeName, ip, relistPeriod, kubernetesVersion, rootDir, podLogsDir, staticPodPath,
                fileCheckPeriod, maxPods, kubeletPort);
    }

    public KubeletConfig withKubeletPort(int port) {
        return new KubeletConfig(nodeName, nodeIp, relistPeriod, kubernetesVersion, rootDir, podLogsDir, staticPodPath,
                fileCheckPeriod, maxPods, port);
    }
}
