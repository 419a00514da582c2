package io.podvisor.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodFilesTest {

    @TempDir
    Path dir;

    @Test
    void managedHostsFileHasTheKubeletsFormat() {
        assertThat(PodFiles.managedHosts("10.88.0.5", "web-0")).isEqualTo("""
                # Kubernetes-managed hosts file.
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                fe00::0\tip6-mcastprefix
                fe00::1\tip6-allnodes
                fe00::2\tip6-allrouters
                10.88.0.5\tweb-0
                """);
    }

    @Test
    void writesHostsResolvConfAndHostname() throws Exception {
        PodFiles.write(dir, "10.88.0.5", "web-0");
        assertThat(Files.readString(dir.resolve("hosts"))).endsWith("10.88.0.5\tweb-0\n");
        assertThat(Files.readString(dir.resolve("hostname"))).isEqualTo("web-0\n");
        assertThat(Files.readString(dir.resolve("resolv.conf")))
                .isEqualTo(Files.exists(Path.of("/etc/resolv.conf")) ? Files.readString(Path.of("/etc/resolv.conf")) : "");
        PodFiles.write(dir, null, "node");
        if (Files.exists(Path.of("/etc/hosts"))) {
            assertThat(Files.readString(dir.resolve("hosts"))).isEqualTo(Files.readString(Path.of("/etc/hosts")));
        }
    }
}
