package io.podvisor.kubelet;

import java.time.Duration;

/**
 * Settings of one kubelet.
 *
 * @param nodeName      the node this kubelet runs pods for
 * @param nodeIp        the node's address, shown as {@code status.hostIP}
 * @param relistPeriod  how often the runtime is relisted for container changes (1 s upstream)
 * @param kubernetesVersion "major.minor", used in the probes' User-Agent
 */
public record KubeletConfig(String nodeName, String nodeIp, Duration relistPeriod, String kubernetesVersion) {

    public static KubeletConfig defaults(String nodeName) {
        return new KubeletConfig(nodeName, "127.0.0.1", Duration.ofSeconds(1), "1.33");
    }
}
