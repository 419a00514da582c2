package io.podvisor.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podvisor.runtime.RuntimeFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryImageStoreTest {

    @TempDir
    Path root;

    @Test
    void directoriesFollowTheNormalizedReference() {
        DirectoryImageStore store = new DirectoryImageStore(root);
        assertThat(store.directory("busybox")).isEqualTo(root.resolve("docker.io/library/busybox/latest"));
        assertThat(store.directory("registry.k8s.io/pause:3.9")).isEqualTo(root.resolve("registry.k8s.io/pause/3.9"));
        assertThat(store.directory("localhost:5000/app@sha256:" + "ab".repeat(32)))
                .isEqualTo(root.resolve("localhost:5000/app/sha256:" + "ab".repeat(32)));
    }

    @Test
    void resolvesTheConfigAndIdentifiesTheImageByItsHash() throws Exception {
        DirectoryImageStore store = new DirectoryImageStore(root);
        Path dir = store.directory("example.com/app:1");
        Files.createDirectories(dir.resolve("rootfs"));
        Files.writeString(dir.resolve("config.json"), """
                {"architecture": "amd64", "config": {"Entrypoint": ["/app"], "Cmd": ["--serve"],
                 "Env": ["PATH=/bin", "A=b=c"], "WorkingDir": "/srv", "User": "1000:1000"}}""");
        ImageConfig c = store.resolve("example.com/app:1");
        assertThat(c.reference()).isEqualTo("example.com/app:1");
        assertThat(c.rootfs()).isEqualTo(dir.resolve("rootfs"));
        assertThat(c.entrypoint()).containsExactly("/app");
        assertThat(c.cmd()).containsExactly("--serve");
        assertThat(c.env()).containsExactly("PATH=/bin", "A=b=c");
        assertThat(c.workingDir()).isEqualTo("/srv");
        assertThat(c.user()).isEqualTo("1000:1000");
        assertThat(c.id()).matches("sha256:[0-9a-f]{64}");

        Files.writeString(dir.resolve("config.json"), "{\"config\": {}}");
        assertThat(store.resolve("example.com/app:1").id()).isNotEqualTo(c.id());
    }

    @Test
    void anImageWithoutConfigHasNoDefaults() throws Exception {
        DirectoryImageStore store = new DirectoryImageStore(root);
        Files.createDirectories(store.directory("plain").resolve("rootfs"));
        ImageConfig c = store.resolve("plain:latest");
        assertThat(c.reference()).isEqualTo("docker.io/library/plain:latest");
        assertThat(c.entrypoint()).isEmpty();
        assertThat(c.cmd()).isEmpty();
        assertThat(c.workingDir()).isEmpty();
        assertThat(c.id()).matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void missingAndInvalidImagesAreRuntimeFailuresNamingTheImage() {
        DirectoryImageStore store = new DirectoryImageStore(root);
        assertThatThrownBy(() -> store.resolve("nosuch")).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("docker.io/library/nosuch:latest").hasMessageContaining("not found");
        assertThatThrownBy(() -> store.resolve("Bad Name")).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("Bad Name").hasMessageContaining("invalid reference format");
    }
}
