package io.podvisor.kubelet.staticpod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StaticPodManifestTest {

    static final Path FILE = Path.of("/etc/kubernetes/manifests/web.yaml");
    static final Instant SEEN = Instant.parse("2026-01-01T00:00:01.5Z");
    static final String WEB = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              containers:
              - {name: web, image: nginx}
            """;

    @Test
    void namesPlacesAnnotatesTolerantlyAndDefaultsThePod() {
        Pod p = StaticPodManifest.decode(WEB, FILE, "Node-1", SEEN);
        assertThat(p.getMetadata().getName()).isEqualTo("web-node-1");
        assertThat(p.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(p.getSpec().getNodeName()).isEqualTo("Node-1");
        String uid = p.getMetadata().getUid();
        assertThat(uid).matches("[0-9a-f]{32}");
        assertThat(p.getMetadata().getAnnotations()).containsEntry("kubernetes.io/config.hash", uid)
                .containsEntry("kubernetes.io/config.source", "file")
                .containsEntry("kubernetes.io/config.seen", "2026-01-01T00:00:01.5Z");
        assertThat(p.getSpec().getTolerations()).singleElement()
                .matches(t -> t.getOperator().equals("Exists") && t.getEffect().equals("NoExecute"));
        assertThat(p.getSpec().getRestartPolicy()).isEqualTo("Always");
        assertThat(p.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(30L);
        assertThat(StaticPodManifest.isStatic(p)).isTrue();
        assertThat(StaticPodManifest.isMirror(p)).isFalse();
    }

    @Test
    void theUidDependsOnContentNodeAndFileButNotOnTime() {
        String uid = StaticPodManifest.decode(WEB, FILE, "n", SEEN).getMetadata().getUid();
        assertThat(StaticPodManifest.decode(WEB, FILE, "n", SEEN.plusSeconds(60)).getMetadata().getUid()).isEqualTo(uid);
        assertThat(StaticPodManifest.decode(WEB.replace("nginx", "httpd"), FILE, "n", SEEN).getMetadata().getUid()).isNotEqualTo(uid);
        assertThat(StaticPodManifest.decode(WEB, FILE, "m", SEEN).getMetadata().getUid()).isNotEqualTo(uid);
        assertThat(StaticPodManifest.decode(WEB, Path.of("/other.yaml"), "n", SEEN).getMetadata().getUid()).isNotEqualTo(uid);
    }

    @Test
    void keepsAGivenNamespaceAndReadsJson() {
        Pod p = StaticPodManifest.decode("""
                {"kind": "Pod", "metadata": {"name": "db", "namespace": "kube-system"},
                 "spec": {"containers": [{"name": "db", "image": "postgres"}]}}""", FILE, "n", SEEN);
        assertThat(p.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(p.getMetadata().getName()).isEqualTo("db-n");
    }

    @Test
    void rejectsWhatIsNotOnePod() {
        assertThatThrownBy(() -> StaticPodManifest.decode("  \n", FILE, "n", SEEN)).hasMessageContaining("file was empty");
        assertThatThrownBy(() -> StaticPodManifest.decode(WEB.replace("kind: Pod", "kind: Deployment"), FILE, "n", SEEN))
                .hasMessage("invalid pod: kind is \"Deployment\"");
        assertThatThrownBy(() -> StaticPodManifest.decode(WEB.replace("{name: web}", "{labels: {a: b}}"), FILE, "n", SEEN))
                .hasMessage("invalid pod: metadata.name is required");
        assertThatThrownBy(() -> StaticPodManifest.decode("kind: Pod\nmetadata: [", FILE, "n", SEEN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
