package io.podvisor.kubelet.scenarios;

import static io.podvisor.runtime.fake.ContainerScript.script;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ContainerStreams.LogOptions;
import io.podvisor.kubelet.harness.NodeHarness;
import io.podvisor.runtime.fake.ContainerScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static pods from a manifest directory and their mirror pods (spec 15.4), in virtual time. */
class StaticPodScenariosTest {

    static final String MANIFEST = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              labels: {app: web}
            spec:
              terminationGracePeriodSeconds: 5
              containers:
              - name: web
                image: nginx:1.27
            """;

    @TempDir
    Path dir;
    Path manifests;

    @BeforeEach
    void setUp() throws IOException {
        manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("web.yaml"), MANIFEST);
    }

    NodeHarness node() {
        return node(script());
    }

    NodeHarness node(ContainerScript web) {
        return new NodeHarness(c -> c.withStaticPodPath(manifests, Duration.ofSeconds(20))
                .withPodLogsDir(dir.resolve("logs")), rt -> rt.script("web", web));
    }

    static String annotation(Pod p, String key) {
        return p.getMetadata().getAnnotations().get(key);
    }

    List<String> webLog(NodeHarness h) {
        return h.runtimeLog().stream().filter(l -> l.matches("\\d+ (start|SIGTERM|SIGKILL|exit) web.*")).toList();
    }

    @Test
    void aManifestRunsAsAStaticPodShownThroughAMirrorPodOwnedByTheNode() {
        NodeHarness h = node(script().stdout(ofSeconds(1), "ready"));
        h.advanceSeconds(2);

        Pod mirror = h.pod("web-podvisor");
        assertThat(mirror).isNotNull();
        String hash = annotation(mirror, "kubernetes.io/config.hash");
        assertThat(hash).matches("[0-9a-f]{32}");
        assertThat(annotation(mirror, "kubernetes.io/config.mirror")).isEqualTo(hash);
        assertThat(annotation(mirror, "kubernetes.io/config.source")).isEqualTo("file");
        assertThat(annotation(mirror, "kubernetes.io/config.seen")).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(mirror.getMetadata().getLabels()).containsEntry("app", "web");
        assertThat(mirror.getMetadata().getUid()).isNotEqualTo(hash);
        Node node = h.objects().get(Node.class, null, "podvisor");
        OwnerReference owner = mirror.getMetadata().getOwnerReferences().getFirst();
        assertThat(List.of(owner.getApiVersion(), owner.getKind(), owner.getName(), owner.getUid()))
                .containsExactly("v1", "Node", "podvisor", node.getMetadata().getUid());
        assertThat(owner.getController()).isTrue();
        assertThat(mirror.getSpec().getNodeName()).isEqualTo("podvisor");
        assertThat(mirror.getSpec().getTolerations()).anyMatch(t -> "Exists".equals(t.getOperator())
                && "NoExecute".equals(t.getEffect()) && t.getKey() == null);
        // the kubelet's status of the static pod is published to the mirror
        assertThat(h.kubectl("web-podvisor")).isEqualTo("1/1 Running 0");
        assertThat(mirror.getStatus().getContainerStatuses().getFirst().getImage()).isEqualTo("nginx:1.27");
        // logs of the mirror are the static pod's
        assertThat(h.logs("web-podvisor", "web", LogOptions.DEFAULT)).isEqualTo("ready\n");
        // the static pod's events name it by its own UID
        assertThat(h.eventObjects("web-podvisor")).isNotEmpty().allMatch(e -> hash.equals(e.getInvolvedObject().getUid()));
    }

    @Test
    void aDeletedMirrorIsRecreatedAndTheStaticPodKeepsRunning() {
        NodeHarness h = node();
        h.advanceSeconds(1);
        String first = h.pod("web-podvisor").getMetadata().getUid();

        h.objects().delete(Pod.class, "default", "web-podvisor", null); // kubectl delete: graceful
        h.runUntilIdle();
        Pod second = h.pod("web-podvisor");
        assertThat(second.getMetadata().getUid()).isNotEqualTo(first);
        assertThat(second.getMetadata().getDeletionTimestamp()).isNull();
        assertThat(h.objects().log()).contains("delete Pod web-podvisor", "delete Pod web-podvisor grace 0");

        h.objects().delete(Pod.class, "default", "web-podvisor", 0L); // kubectl delete --force
        h.runUntilIdle();
        Pod third = h.pod("web-podvisor");
        assertThat(third.getMetadata().getUid()).isNotIn(first, second.getMetadata().getUid());

        h.advanceSeconds(30);
        assertThat(webLog(h)).containsExactly("0 start web");
        assertThat(h.kubectl("web-podvisor")).isEqualTo("1/1 Running 0");
    }

    @Test
    void changesToTheMirrorThroughTheApiDoNotChangeTheStaticPod() {
        NodeHarness h = node();
        h.advanceSeconds(1);
        Pod mirror = h.pod("web-podvisor");
        mirror.getSpec().getContainers().getFirst().setImage("nginx:1.29");
        h.cluster().update(mirror);
        h.advanceSeconds(30);

        assertThat(webLog(h)).containsExactly("0 start web");
        assertThat(h.pod("web-podvisor").getStatus().getContainerStatuses().getFirst().getImage()).isEqualTo("nginx:1.27");
    }

    @Test
    void anUnchangedFileKeepsItsPodAcrossRescans() {
        NodeHarness h = node();
        h.advanceSeconds(1);
        String mirrorUid = h.pod("web-podvisor").getMetadata().getUid();
        String hash = annotation(h.pod("web-podvisor"), "kubernetes.io/config.hash");
        h.advanceSeconds(100);

        assertThat(webLog(h)).containsExactly("0 start web");
        assertThat(h.pod("web-podvisor").getMetadata().getUid()).isEqualTo(mirrorUid);
        assertThat(annotation(h.pod("web-podvisor"), "kubernetes.io/config.hash")).isEqualTo(hash);
    }

    @Test
    void anEditedFileStopsTheOldPodThenStartsTheNewOneWithANewMirror() throws IOException {
        NodeHarness h = node(script().ignoreSigterm());
        h.advanceSeconds(1);
        String oldHash = annotation(h.pod("web-podvisor"), "kubernetes.io/config.hash");

        Files.writeString(manifests.resolve("web.yaml"), MANIFEST.replace("nginx:1.27", "nginx:1.29"));
        h.advanceSeconds(19); // the rescan at 20 s sees the change
        assertThat(webLog(h)).containsExactly("0 start web", "20 SIGTERM web timeout 5s");
        assertThat(annotation(h.pod("web-podvisor"), "kubernetes.io/config.hash")).isEqualTo(oldHash);

        h.advanceSeconds(5); // the old one ignores SIGTERM: killed after its 5 s grace, then the new one starts
        assertThat(webLog(h)).containsExactly("0 start web", "20 SIGTERM web timeout 5s", "25 SIGKILL web", "25 start web");
        Pod mirror = h.pod("web-podvisor");
        String newHash = annotation(mirror, "kubernetes.io/config.hash");
        assertThat(newHash).isNotEqualTo(oldHash);
        assertThat(annotation(mirror, "kubernetes.io/config.mirror")).isEqualTo(newHash);
        assertThat(mirror.getSpec().getContainers().getFirst().getImage()).isEqualTo("nginx:1.29");
        assertThat(h.kubectl("web-podvisor")).isEqualTo("1/1 Running 0");
        assertThat(mirror.getStatus().getContainerStatuses().getFirst().getImage()).isEqualTo("nginx:1.29");
    }

    @Test
    void aRemovedFileStopsThePodGracefullyAndDeletesItsMirror() throws IOException {
        NodeHarness h = node(script().exitOnSigterm(ofSeconds(2), 0));
        h.advanceSeconds(1);
        Path podLogs = dir.resolve("logs/default_web-podvisor_" + annotation(h.pod("web-podvisor"), "kubernetes.io/config.hash"));
        assertThat(podLogs).exists();

        Files.delete(manifests.resolve("web.yaml"));
        h.advanceSeconds(19);
        assertThat(webLog(h)).containsExactly("0 start web", "20 SIGTERM web timeout 5s");
        assertThat(h.pod("web-podvisor")).isNotNull();

        h.advanceSeconds(2);
        assertThat(webLog(h)).containsExactly("0 start web", "20 SIGTERM web timeout 5s", "22 exit web code 0");
        assertThat(h.pod("web-podvisor")).isNull();
        assertThat(podLogs).doesNotExist();
        h.advanceSeconds(60);
        assertThat(h.pod("web-podvisor")).isNull();
        assertThat(webLog(h)).hasSize(3);
    }

    @Test
    void aFileAddedLaterIsPickedUpAtTheNextRescan() throws IOException {
        Files.delete(manifests.resolve("web.yaml"));
        NodeHarness h = node();
        h.advanceSeconds(5);
        Files.writeString(manifests.resolve("db.json"), """
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "db", "namespace": "kube-system"},
                 "spec": {"containers": [{"name": "db", "image": "postgres"}]}}
                """);
        h.advanceSeconds(15);
        Pod db = h.cluster().get("kube-system", "db-podvisor");
        assertThat(db).isNotNull();
        assertThat(db.getStatus().getPhase()).isEqualTo("Running");
    }
}
