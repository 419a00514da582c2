package io.podvisor.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostBusyboxTest {

    @TempDir
    Path dir;

    @Test
    void tellsStaticFromDynamicExecutables() throws Exception {
        assumeTrue(Files.exists(Path.of("/bin/ls")));
        assertThat(HostBusybox.isStatic(Path.of("/bin/ls"))).as("/bin/ls is dynamically linked").isFalse();
        Path text = Files.writeString(dir.resolve("script"), "#!/bin/sh\n");
        assertThat(HostBusybox.isStatic(text)).isFalse();
    }

    @Test
    void ensureInstallsTheBuiltInImageOnceAndItIsRunnable() throws Exception {
        assumeTrue(HostBusybox.available(), "needs a static /bin/busybox");
        OciImageStore store = new OciImageStore(dir.resolve("images"));
        ImageInfo info = HostBusybox.ensure(store).orElseThrow();
        assertThat(info.repoTags()).containsExactly(HostBusybox.REFERENCE);
        assertThat(info.repoDigests()).isEmpty();

        ImageConfig image = store.resolve(HostBusybox.REFERENCE);
        assertThat(image.id()).isEqualTo(info.id());
        assertThat(image.cmd()).containsExactly("sh");
        assertThat(image.env()).containsExactly(HostBusybox.PATH);
        assertThat(Files.readSymbolicLink(image.rootfs().resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        assertThat(image.rootfs().resolve("bin/httpd")).exists();
        assertThat(Files.mismatch(image.rootfs().resolve("bin/busybox"), HostBusybox.BINARY)).isEqualTo(-1);
        assertThat(Files.getAttribute(image.rootfs().resolve("tmp"), "unix:mode")).isEqualTo(0041777);
        assertThat(Files.getAttribute(image.rootfs().resolve("root"), "unix:mode")).isEqualTo(040700);
        assertThat(image.rootfs().resolve("etc/passwd")).content().contains("nobody:x:65534");

        Path marker = image.rootfs().resolve("tmp/marker");
        Files.writeString(marker, "left by the first install");
        assertThat(HostBusybox.ensure(store)).contains(info);
        assertThat(marker).as("a present image is not installed again").exists();
    }
}
