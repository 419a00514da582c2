package io.podvisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The per-container pod defaults of spec §0, as the kubelet and the API server apply them. */
class PodDefaultsTest {

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: default}
            spec:
              initContainers:
              - name: setup
                image: busybox
              containers:
              - name: app
                image: nginx:1.27
                ports: [{containerPort: 80}]
                resources: {limits: {cpu: 500m}, requests: {memory: 64Mi}}
                livenessProbe: {httpGet: {port: 80}}
                readinessProbe: {exec: {command: [true]}, periodSeconds: 0, failureThreshold: 7}
            """;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"busybox, Always", "busybox:latest, Always", "busybox:1.36, IfNotPresent",
        "localhost:5000/busybox, Always", "localhost:5000/busybox:1.36, IfNotPresent",
        "busybox@sha256:0123abcd, IfNotPresent", "registry.io/team/app:latest, Always"})
    void pullPolicyIsAlwaysForLatestOrNoTagAndIfNotPresentOtherwise(String image, String policy) {
        assertThat(PodDefaults.defaultPullPolicy(image)).isEqualTo(policy);
    }

    @Test
    void everyContainerGetsPullPolicyTerminationMessageAndPortProtocol() {
        PodSpec spec = PodDefaults.apply(Yaml.read(POD, Pod.class)).getSpec();
        Container init = spec.getInitContainers().getFirst();
        Container app = spec.getContainers().getFirst();
        assertThat(init.getImagePullPolicy()).isEqualTo("Always");
        assertThat(app.getImagePullPolicy()).isEqualTo("IfNotPresent");
        for (Container c : new Container[] {init, app}) {
            assertThat(c.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
            assertThat(c.getTerminationMessagePolicy()).isEqualTo("File");
        }
        assertThat(app.getPorts().getFirst().getProtocol()).isEqualTo("TCP");
    }

    @Test
    void probesGetTimingDefaultsAndHttpGetItsPathAndScheme() {
        PodSpec spec = PodDefaults.apply(Yaml.read(POD, Pod.class)).getSpec();
        Probe liveness = spec.getContainers().getFirst().getLivenessProbe();
        assertThat(new int[] {liveness.getInitialDelaySeconds(), liveness.getPeriodSeconds(),
            liveness.getTimeoutSeconds(), liveness.getSuccessThreshold(), liveness.getFailureThreshold()})
                .containsExactly(0, 10, 1, 1, 3);
        assertThat(liveness.getHttpGet().getPath()).isEqualTo("/");
        assertThat(liveness.getHttpGet().getScheme()).isEqualTo("HTTP");
        Probe readiness = spec.getContainers().getFirst().getReadinessProbe();
        assertThat(readiness.getPeriodSeconds()).as("zero means unset").isEqualTo(10);
        assertThat(readiness.getFailureThreshold()).isEqualTo(7);
    }

    @Test
    void lifecycleHooksHttpGetGetsItsPathAndSchemeAsProbesDo() {
        Pod pod = PodDefaults.apply(Yaml.read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: default}
                spec:
                  containers:
                  - name: app
                    image: nginx:1.27
                    lifecycle:
                      postStart: {httpGet: {port: 80}}
                      preStop: {httpGet: {path: /drain, port: 80, scheme: HTTPS}}
                """, Pod.class));
        var lifecycle = pod.getSpec().getContainers().getFirst().getLifecycle();
        assertThat(lifecycle.getPostStart().getHttpGet().getPath()).isEqualTo("/");
        assertThat(lifecycle.getPostStart().getHttpGet().getScheme()).isEqualTo("HTTP");
        assertThat(lifecycle.getPreStop().getHttpGet().getPath()).isEqualTo("/drain");
        assertThat(lifecycle.getPreStop().getHttpGet().getScheme()).isEqualTo("HTTPS");
    }

    @Test
    void requestsComeFromLimitsOnPodsButNotOnTemplates() {
        Pod pod = PodDefaults.apply(Yaml.read(POD, Pod.class));
        assertThat(pod.getSpec().getContainers().getFirst().getResources().getRequests())
                .containsExactlyInAnyOrderEntriesOf(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("64Mi")));
        PodSpec template = PodDefaults.template(Yaml.read(POD, Pod.class).getSpec());
        assertThat(template.getContainers().getFirst().getResources().getRequests())
                .containsExactly(Map.entry("memory", new Quantity("64Mi")));
        assertThat(template.getContainers().getFirst().getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(template.getRestartPolicy()).isEqualTo("Always");
    }
}
