package io.podvisor.cli.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.Yaml;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.Mount;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.fake.ContainerScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API-data volumes of a running pod follow their sources as upstream's kubelet has them: the
 * periodic resync (every 1 to 1.5 minutes) rewrites a changed ConfigMap's volume while the
 * container keeps running, a {@code subPath} mount keeps what it had when the container was
 * created, an immutable ConfigMap is not read again, and a downwardAPI volume shows changed labels.
 */
class VolumeRefreshScenarioTest {

    private static final String CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cfg}
            data: {greeting: hello}
            """;

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              labels: {tier: front}
            spec:
              containers:
              - name: app
                image: busybox
                volumeMounts:
                - {name: config, mountPath: /etc/config}
                - {name: config, mountPath: /etc/greeting, subPath: greeting}
                - {name: info, mountPath: /etc/podinfo}
              volumes:
              - name: config
                configMap: {name: cfg}
              - name: info
                downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}
            """;

    @TempDir
    Path root;
    private ClusterHarness h;

    @BeforeEach
    void runningPod() {
        h = new ClusterHarness(root);
        h.script("app", ContainerScript.runForever());
        h.apply(CONFIG_MAP);
        h.apply(POD);
        h.advanceSeconds(2);
        assertThat(h.kubectlGet("pods")).containsExactly("web 1/1 Running 0 2s");
    }

    @AfterEach
    void close() {
        h.close();
    }

    private Path volume(String plugin, String name) {
        return root.resolve("pods/" + h.pod("web").getMetadata().getUid() + "/volumes/" + plugin + "/" + name);
    }

    /** The host file the container's mount at {@code containerPath} binds. */
    private Path mounted(String containerPath) throws RuntimeFailure {
        ContainerInfo app = h.runtime().listContainers(Map.of()).stream().filter(c -> c.name().equals("app"))
                .findFirst().orElseThrow();
        return Path.of(h.runtime().config(app.id()).mounts().stream().filter(m -> m.containerPath().equals(containerPath))
                .map(Mount::hostPath).findFirst().orElseThrow());
    }

    @Test
    void aChangedConfigMapReachesTheRunningContainerWithinTheResyncButNotItsSubPathMount() throws Exception {
        Path greeting = volume("kubernetes.io~configmap", "config").resolve("greeting");
        Path subPath = mounted("/etc/greeting");
        assertThat(Files.readString(greeting)).isEqualTo("hello");
        assertThat(Files.readString(subPath)).isEqualTo("hello");

        ConfigMap cm = Yaml.copy(h.api().get(ConfigMap.class, ClusterHarness.NAMESPACE, "cfg"));
        cm.setData(Map.of("greeting", "bye"));
        h.api().update(cm);
        h.advanceSeconds(90);

        assertThat(Files.readString(greeting)).as("within one resync period and its jitter").isEqualTo("bye");
        assertThat(Files.isSymbolicLink(greeting.resolveSibling("..data"))).as("swapped in through ..data").isTrue();
        assertThat(Files.readSymbolicLink(greeting)).isEqualTo(Path.of("..data/greeting"));
        assertThat(Files.readString(subPath)).as("a subPath mount never updates").isEqualTo("hello");
        assertThat(h.kubectlGet("pods")).as("the container kept running").containsExactly("web 1/1 Running 0 92s");
    }

    @Test
    void anImmutableConfigMapIsReadOnceWhileAMutableOneFollowsItsChanges() throws IOException {
        h.apply("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: fixed}
                immutable: true
                data: {greeting: first}
                """);
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: frozen}
                spec:
                  containers:
                  - {name: app, image: busybox, volumeMounts: [{name: fixed, mountPath: /etc/fixed}]}
                  volumes:
                  - {name: fixed, configMap: {name: fixed}}
                """);
        h.advanceSeconds(2);
        Path fixed = root.resolve("pods/" + h.pod("frozen").getMetadata().getUid()
                + "/volumes/kubernetes.io~configmap/fixed/greeting");
        assertThat(Files.readString(fixed)).isEqualTo("first");

        h.delete(ResourceTypes.CONFIGMAPS, "fixed");
        h.apply("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: fixed}
                immutable: true
                data: {greeting: second}
                """);
        ConfigMap cm = Yaml.copy(h.api().get(ConfigMap.class, ClusterHarness.NAMESPACE, "cfg"));
        cm.setData(Map.of("greeting", "bye"));
        h.api().update(cm);
        h.advanceSeconds(90);

        assertThat(Files.readString(volume("kubernetes.io~configmap", "config").resolve("greeting")))
                .as("the mutable one, in the same period").isEqualTo("bye");
        assertThat(Files.readString(fixed)).as("not read again after the first read").isEqualTo("first");
    }

    @Test
    void aLabelChangeReachesTheDownwardApiVolume() throws IOException {
        Path labels = volume("kubernetes.io~downward-api", "info").resolve("labels");
        assertThat(Files.readString(labels)).isEqualTo("tier=\"front\"");

        Pod web = Yaml.copy(h.pod("web"));
        web.getMetadata().setLabels(Map.of("tier", "back"));
        h.api().update(web);
        h.advanceSeconds(2);

        assertThat(Files.readString(labels)).isEqualTo("tier=\"back\"");
    }
}
