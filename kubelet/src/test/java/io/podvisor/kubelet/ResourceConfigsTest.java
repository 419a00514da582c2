package io.podvisor.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.PodDefaults;
import io.podvisor.api.Yaml;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.SandboxConfig.PodResources;
import org.junit.jupiter.api.Test;

/** Container and pod cgroup settings from requests and limits, by QoS class. */
class ResourceConfigsTest {

    private static final long MI = 1024 * 1024;

    private static Pod pod(String init, String containers) {
        return PodDefaults.apply(Yaml.read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                """ + (init.isEmpty() ? "" : "  initContainers:\n" + init.indent(2)) + """
                  containers:
                """ + containers.indent(2), Pod.class));
    }

    private static String c(String name, String resources) {
        return "- {name: " + name + ", image: busybox, resources: " + resources + "}\n";
    }

    @Test
    void containerLimitsAndRequestsInRuntimeUnits() {
        Pod p = pod("", c("a", "{limits: {cpu: 1500m, memory: 128Mi}}") + c("b", "{requests: {cpu: \"0.1\", memory: 1Gi}}")
                + c("c", "{}"));
        assertThat(ResourceConfigs.container(p.getSpec().getContainers().get(0)))
                .isEqualTo(new ContainerConfig.Resources(128 * MI, 1500L, 1500L));
        assertThat(ResourceConfigs.container(p.getSpec().getContainers().get(1)))
                .isEqualTo(new ContainerConfig.Resources(null, null, 100L));
        assertThat(ResourceConfigs.container(p.getSpec().getContainers().get(2))).isEqualTo(ContainerConfig.Resources.NONE);
    }

    @Test
    void limitsBeyondALongAreSaturatedNotExpandedOrWrapped() {
        // 1e999999999 is a valid quantity; expanding it to an integer would never finish (or throw), and 1e30
        // would wrap to a negative long
        Pod p = pod("", c("a", "{requests: {cpu: '1e-999999999', memory: 1Mi}, limits: {cpu: '1e999999', memory: '1e999999999'}}")
                + c("b", "{limits: {cpu: '2', memory: '1e30'}}"));
        assertThat(ResourceConfigs.container(p.getSpec().getContainers().get(0)))
                .isEqualTo(new ContainerConfig.Resources(Long.MAX_VALUE, Long.MAX_VALUE, 1L));
        assertThat(ResourceConfigs.container(p.getSpec().getContainers().get(1)))
                .isEqualTo(new ContainerConfig.Resources(Long.MAX_VALUE, 2000L, 2000L));
        assertThat(ResourceConfigs.pod(p.getSpec()).memoryLimitBytes()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void podResourcesByQosClass() {
        // Guaranteed: limits everywhere, requests defaulted from them
        assertThat(ResourceConfigs.pod(pod("", c("a", "{limits: {cpu: 500m, memory: 100Mi}}")
                + c("b", "{limits: {cpu: 250m, memory: 50Mi}}")).getSpec()))
                .isEqualTo(new PodResources("Guaranteed", 150 * MI, 750L, 750L, null));
        // Burstable with every memory limit declared but not every cpu limit
        assertThat(ResourceConfigs.pod(pod("", c("a", "{requests: {cpu: 100m}, limits: {memory: 100Mi}}")
                + c("b", "{limits: {cpu: 1, memory: 50Mi}}")).getSpec()))
                .isEqualTo(new PodResources("Burstable", 150 * MI, null, 1100L, null));
        // Burstable where one container has no limits at all
        assertThat(ResourceConfigs.pod(pod("", c("a", "{requests: {memory: 10Mi}}") + c("b", "{limits: {cpu: 1}}")).getSpec()))
                .isEqualTo(new PodResources("Burstable", null, null, 1000L, null));
        // BestEffort
        assertThat(ResourceConfigs.pod(pod("", c("a", "{}")).getSpec())).isEqualTo(PodResources.BEST_EFFORT);
    }

    @Test
    void initContainersCountAsUpstreamsEffectivePodResources() {
        String init = c("setup", "{limits: {cpu: 2, memory: 1Gi}}")
                + "- {name: proxy, image: envoy, restartPolicy: Always, resources: {limits: {cpu: 200m, memory: 64Mi}}}\n"
                + c("migrate", "{limits: {cpu: 500m, memory: 512Mi}}");
        String main = c("app", "{limits: {cpu: 300m, memory: 256Mi}}");
        // cpu: max(app 300 + proxy 200 = 500, setup 2000, migrate 500 + proxy 200) = 2000
        // memory: max(256 + 64 = 320, 1024, 512 + 64 = 576) = 1024 Mi
        assertThat(ResourceConfigs.pod(pod(init, main).getSpec()))
                .isEqualTo(new PodResources("Guaranteed", 1024 * MI, 2000L, 2000L, null));
        String bigMain = c("app", "{limits: {cpu: 3, memory: 2Gi}}");
        assertThat(ResourceConfigs.pod(pod(init, bigMain).getSpec()))
                .isEqualTo(new PodResources("Guaranteed", 2048 * MI + 64 * MI, 3200L, 3200L, null));
    }
}
