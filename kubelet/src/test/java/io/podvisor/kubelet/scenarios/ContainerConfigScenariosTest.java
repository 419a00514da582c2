package io.podvisor.kubelet.scenarios;

import static io.podvisor.runtime.fake.ContainerScript.script;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.podvisor.kubelet.harness.NodeHarness;
import io.podvisor.kubelet.volume.RecordingMounter;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.Mount;
import io.podvisor.runtime.SandboxConfig;
import io.podvisor.runtime.SecurityConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What reaches the runtime when a container is created (env, mounts, resources, security) and how
 * the pod shows configs that cannot be built, volumes that cannot be set up and termination
 * messages, in virtual time on the fake runtime.
 */
class ContainerConfigScenariosTest {

    @TempDir
    Path dir;

    private final RecordingMounter mounter = new RecordingMounter();

    NodeHarness node() {
        return new NodeHarness(c -> c.withRootDir(dir.resolve("root")).withPodLogsDir(dir.resolve("logs")), rt -> {},
                mounter);
    }

    static final String ENV_POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              containers:
              - name: app
                image: busybox
                command: [sh, -c, "echo $(LEVEL) $(MISSING) $$(LEVEL)"]
                env:
                - name: LEVEL
                  valueFrom: {configMapKeyRef: {name: app-config, key: level}}
            """;

    private static void configMap(NodeHarness h, Map<String, String> data) {
        h.cluster().put(new ConfigMapBuilder().withNewMetadata().withName("app-config").endMetadata().withData(data).build());
    }

    private static ContainerStateWaiting waiting(NodeHarness h, String container) {
        return PodViews.main(h.pod("web"), container).getState().getWaiting();
    }

    @Test
    void aMissingConfigMapIsCreateContainerConfigErrorUntilItExists() {
        NodeHarness h = node();
        h.apply(ENV_POD);
        assertThat(h.kubectl("web")).as("the failed start shows in the next sync").isEqualTo("0/1 ContainerCreating 0");
        h.advanceSeconds(1); // the relist that sees the new sandbox

        assertThat(h.kubectl("web")).isEqualTo("0/1 CreateContainerConfigError 0");
        assertThat(waiting(h, "app").getMessage()).isEqualTo("configmap \"app-config\" not found");
        assertThat(h.events("web")).contains("Warning Failed Error: configmap \"app-config\" not found");
        assertThat(h.recording().containerConfigs()).isEmpty();

        configMap(h, Map.of("other", "x"));
        h.advanceSeconds(9); // the retry at 10 s shows the error of the one before and finds the next
        assertThat(waiting(h, "app").getMessage()).isEqualTo("configmap \"app-config\" not found");
        h.advanceSeconds(10);
        assertThat(waiting(h, "app").getReason()).isEqualTo("CreateContainerConfigError");
        assertThat(waiting(h, "app").getMessage()).isEqualTo("couldn't find key level in ConfigMap default/app-config");
        assertThat(h.events("web")).containsSubsequence("Warning Failed Error: configmap \"app-config\" not found",
                "Warning Failed Error: couldn't find key level in ConfigMap default/app-config");

        configMap(h, Map.of("level", "debug"));
        h.advanceSeconds(10);
        assertThat(h.kubectl("web")).isEqualTo("1/1 Running 0");
        ContainerConfig c = h.recording().lastConfig("app");
        assertThat(c.env()).containsEntry("LEVEL", "debug");
        assertThat(c.command()).containsExactly("sh", "-c", "echo debug $(MISSING) $(LEVEL)");
    }

    @Test
    void aRuntimeConfigErrorIsCreateContainerConfigErrorToo() {
        NodeHarness h = node();
        h.recording().refuseConfig("hostPath volumes are not supported by this runtime");
        configMap(h, Map.of("level", "info"));
        h.apply(ENV_POD);
        h.advanceSeconds(1);

        assertThat(h.kubectl("web")).isEqualTo("0/1 CreateContainerConfigError 0");
        assertThat(h.events("web")).contains("Warning Failed Error: hostPath volumes are not supported by this runtime");
        h.recording().refuseConfig(null);
        h.advanceSeconds(10);
        assertThat(h.kubectl("web")).isEqualTo("1/1 Running 0");
    }

    static final String VOLUME_POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              containers:
              - name: app
                image: busybox
                volumeMounts:
                - {name: cfg, mountPath: /etc/app}
              volumes:
              - name: cfg
                configMap: {name: app-config}
            """;

    @Test
    void aMissingConfigMapVolumeKeepsThePodContainerCreatingWithFailedMountUntilItExists() {
        NodeHarness h = node();
        h.apply(VOLUME_POD);

        assertThat(h.kubectl("web")).isEqualTo("0/1 ContainerCreating 0");
        assertThat(waiting(h, "app").getMessage()).isNull();
        assertThat(h.events("web")).containsExactly(
                "Warning FailedMount MountVolume.SetUp failed for volume \"cfg\" : configmap \"app-config\" not found");
        assertThat(h.recording().sandboxConfigs()).as("no sandbox before the volumes").isEmpty();
        h.advanceSeconds(10);
        assertThat(h.events("web", "FailedMount")).containsExactly(
                "2x MountVolume.SetUp failed for volume \"cfg\" : configmap \"app-config\" not found");

        configMap(h, Map.of("app.conf", "x=1"));
        h.advanceSeconds(10);
        assertThat(h.kubectl("web")).isEqualTo("1/1 Running 0");
        String uid = h.pod("web").getMetadata().getUid();
        Path cfg = dir.resolve("root/pods/" + uid + "/volumes/kubernetes.io~configmap/cfg");
        assertThat(h.recording().lastConfig("app").mounts()).contains(new Mount(cfg.toString(), "/etc/app", true));
        assertThat(cfg.resolve("app.conf")).hasContent("x=1");

        configMap(h, Map.of("app.conf", "x=2"));
        h.kubelet().worker(uid).requestSync();
        h.runUntilIdle();
        assertThat(cfg.resolve("app.conf")).as("refreshed at sync").hasContent("x=2");
    }

    @Test
    void mountsResourcesSecurityAndTheSandboxReachTheRuntimeAndThePodsDirectoryGoesWithThePod() throws Exception {
        Path host = Files.createDirectories(dir.resolve("host/data"));
        NodeHarness h = node();
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  terminationGracePeriodSeconds: 1
                  securityContext: {runAsUser: 1000, runAsGroup: 3000}
                  containers:
                  - name: app
                    image: busybox
                    resources: {limits: {cpu: 500m, memory: 128Mi}}
                    securityContext:
                      runAsUser: 2000
                      readOnlyRootFilesystem: true
                      capabilities: {add: [NET_ADMIN], drop: [ALL]}
                    volumeMounts:
                    - {name: scratch, mountPath: /scratch}
                    - {name: ram, mountPath: /ram}
                    - {name: data, mountPath: /data, readOnly: true}
                  volumes:
                  - {name: scratch, emptyDir: {}}
                  - {name: ram, emptyDir: {medium: Memory}}
                  - {name: data, hostPath: {path: %s, type: Directory}}
                """.formatted(host));
        String uid = h.pod("web").getMetadata().getUid();
        Path pod = dir.resolve("root/pods/" + uid);
        ContainerConfig c = h.recording().lastConfig("app");

        assertThat(c.mounts()).containsExactly(
                new Mount(pod.resolve("volumes/kubernetes.io~empty-dir/scratch").toString(), "/scratch", false),
                new Mount(pod.resolve("volumes/kubernetes.io~empty-dir/ram").toString(), "/ram", false),
                new Mount(host.toString(), "/data", true),
                new Mount(pod.resolve("containers/app/0").toString(), "/dev/termination-log", false));
        assertThat(pod.resolve("containers/app/0")).isEmptyFile();
        assertThat(c.resources()).isEqualTo(new ContainerConfig.Resources(128L << 20, 500L, 500L));
        assertThat(c.security()).isEqualTo(new SecurityConfig(2000L, 3000L, true, false, List.of("NET_ADMIN"), List.of("ALL")));
        SandboxConfig sb = h.recording().sandboxConfigs().getFirst();
        assertThat(sb.uid()).isEqualTo(uid);
        assertThat(sb.resources()).isEqualTo(new SandboxConfig.PodResources("Guaranteed", 128L << 20, 500L, 500L, null));
        assertThat(mounter.log()).containsExactly("mount ram size=" + (128L << 20));

        h.delete("web");
        h.advanceSeconds(2);
        assertThat(h.pod("web")).isNull();
        assertThat(mounter.log()).endsWith("umount ram");
        assertThat(pod).doesNotExist();
        assertThat(host).isDirectory();
    }

    @Test
    void theTerminationMessageFileBecomesTheTerminatedMessage() throws Exception {
        NodeHarness h = node();
        h.script("app", script().exitAfter(ofSeconds(5), 3));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: app
                    image: busybox
                    terminationMessagePath: /tmp/status
                """);
        Mount m = h.recording().lastConfig("app").mounts().stream()
                .filter(x -> x.containerPath().equals("/tmp/status")).findFirst().orElseThrow();
        Files.writeString(Path.of(m.hostPath()), "disk full\n");
        h.advanceSeconds(5);

        ContainerStateTerminated t = PodViews.main(h.pod("web"), "app").getState().getTerminated();
        assertThat(t.getExitCode()).isEqualTo(3);
        assertThat(t.getMessage()).isEqualTo("disk full\n");
    }

    @Test
    void fallbackToLogsOnErrorUsesTheLogTailWhenTheFileIsEmptyAndTheExitFailed() {
        NodeHarness h = node();
        h.script("bad", script().stdout(ofSeconds(1), "connecting").stderr(ofSeconds(2), "fatal: refused")
                .exitAfter(ofSeconds(3), 1));
        h.script("good", script().stdout(ofSeconds(1), "all fine").exitAfter(ofSeconds(3), 0));
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  restartPolicy: Never
                  containers:
                  - {name: bad, image: busybox, terminationMessagePolicy: FallbackToLogsOnError}
                  - {name: good, image: busybox, terminationMessagePolicy: FallbackToLogsOnError}
                """);
        h.advanceSeconds(4);

        assertThat(PodViews.main(h.pod("web"), "bad").getState().getTerminated().getMessage())
                .isEqualTo("connecting\nfatal: refused\n");
        assertThat(PodViews.main(h.pod("web"), "good").getState().getTerminated().getMessage()).isNull();
        assertThat(h.kubectl("web")).isEqualTo("0/2 Error 0");
    }

    private static void service(NodeHarness h, String namespace, String name, String clusterIp, String... ports) {
        var b = new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withClusterIP(clusterIp).endSpec();
        for (String p : ports) {
            String[] f = p.split("/"); // name/port/protocol, name may be empty
            b.editSpec().addNewPort().withName(f[0].isEmpty() ? null : f[0]).withPort(Integer.parseInt(f[1]))
                    .withProtocol(f[2]).endPort().endSpec();
        }
        h.cluster().put(b.build());
    }

    /**
     * A node whose API has the API server's Service ({@code default/kubernetes}, 10.96.0.1:443, as
     * every cluster has from the start), {@code redis-master} and another namespace's {@code kubernetes}.
     */
    private NodeHarness nodeWithServices() {
        NodeHarness h = node();
        h.cluster().put(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("other")
                .endMetadata().build());
        // the API requires every port of a multi-port Service to be named, and cluster IPs in its range
        service(h, "default", "redis-master", "10.96.0.11", "redis/6379/TCP", "metrics/9121/TCP", "dns/53/UDP");
        service(h, "other", "kubernetes", "10.96.0.13", "/8443/TCP");
        return h;
    }

    @Test
    void serviceVariablesComeFromTheNamespacesServicesAndAlwaysTheApiServers() {
        NodeHarness h = nodeWithServices();
        service(h, "default", "headless", "None", "/80/TCP");
        service(h, "other", "elsewhere", "10.96.0.12", "/80/TCP");
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  containers:
                  - name: app
                    image: busybox
                    command: [sh, -c, "echo $(REDIS_MASTER_SERVICE_HOST)"]
                    env:
                    - {name: ADDR, value: "$(REDIS_MASTER_SERVICE_HOST):$(REDIS_MASTER_SERVICE_PORT)"}
                    - {name: REDIS_MASTER_SERVICE_PORT, value: "mine"}
                """);
        h.advanceSeconds(1);

        ContainerConfig c = h.recording().lastConfig("app");
        assertThat(c.env()).containsAllEntriesOf(Map.ofEntries(
                Map.entry("ADDR", "10.96.0.11:6379"),
                Map.entry("REDIS_MASTER_SERVICE_PORT", "mine"),
                Map.entry("REDIS_MASTER_SERVICE_HOST", "10.96.0.11"),
                Map.entry("REDIS_MASTER_SERVICE_PORT_REDIS", "6379"),
                Map.entry("REDIS_MASTER_SERVICE_PORT_METRICS", "9121"),
                Map.entry("REDIS_MASTER_SERVICE_PORT_DNS", "53"),
                Map.entry("REDIS_MASTER_PORT", "tcp://10.96.0.11:6379"),
                Map.entry("REDIS_MASTER_PORT_6379_TCP", "tcp://10.96.0.11:6379"),
                Map.entry("REDIS_MASTER_PORT_6379_TCP_PROTO", "tcp"),
                Map.entry("REDIS_MASTER_PORT_6379_TCP_PORT", "6379"),
                Map.entry("REDIS_MASTER_PORT_6379_TCP_ADDR", "10.96.0.11"),
                Map.entry("REDIS_MASTER_PORT_53_UDP", "udp://10.96.0.11:53"),
                Map.entry("REDIS_MASTER_PORT_53_UDP_PROTO", "udp"),
                Map.entry("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
                Map.entry("KUBERNETES_SERVICE_PORT", "443"),
                Map.entry("KUBERNETES_SERVICE_PORT_HTTPS", "443"),
                Map.entry("KUBERNETES_PORT", "tcp://10.96.0.1:443")));
        assertThat(c.env().keySet()).noneMatch(k -> k.startsWith("HEADLESS_") || k.startsWith("ELSEWHERE_"));
        assertThat(c.command()).containsExactly("sh", "-c", "echo 10.96.0.11");
    }

    @Test
    void withoutServiceLinksOnlyTheApiServersVariablesAreSetAndANamespacesOwnKubernetesServiceWins() {
        NodeHarness h = nodeWithServices();
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  enableServiceLinks: false
                  containers:
                  - name: app
                    image: busybox
                """);
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: other, namespace: other}
                spec:
                  containers:
                  - name: side
                    image: busybox
                """);
        h.advanceSeconds(1);

        Map<String, String> web = h.recording().lastConfig("app").env();
        assertThat(web).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1");
        assertThat(web.keySet()).noneMatch(k -> k.startsWith("REDIS_MASTER_"));
        assertThat(h.recording().lastConfig("side").env()).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.13")
                .containsEntry("KUBERNETES_SERVICE_PORT", "8443").doesNotContainKey("KUBERNETES_SERVICE_PORT_HTTPS");
    }
}
