package io.podvisor.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.runtime.image.ImageInfo;
import io.podvisor.runtime.image.OciImageStore;
import io.podvisor.runtime.image.ImageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusyboxImageTest {

    @TempDir
    Path dir;

    @Test
    void installsARunnableImage() throws Exception {
        assumeTrue(BusyboxImage.available(), "needs a static /bin/busybox");
        OciImageStore store = new OciImageStore(dir);
        ImageInfo info = BusyboxImage.install(store, "busybox");
        ImageConfig image = store.resolve("docker.io/library/busybox:latest");
        assertThat(image.cmd()).containsExactly("sh");
        assertThat(image.env()).anyMatch(e -> e.startsWith("PATH="));
        assertThat(image.rootfs().resolve("bin/sh")).isSymbolicLink();
        assertThat(image.rootfs().resolve("bin/nc")).exists();
        assertThat(image.rootfs().resolve("etc/passwd")).content().contains("nobody:x:65534");
        assertThat(image.id()).isEqualTo(info.id());
        assertThat(BusyboxImage.install(store, "busybox:1")).isEqualTo(store.status("busybox").orElseThrow());
        assertThat(Files.getAttribute(image.rootfs().resolve("tmp"), "unix:mode")).isEqualTo(0041777);
    }
}
