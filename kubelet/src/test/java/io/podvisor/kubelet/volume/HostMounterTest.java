package io.podvisor.kubelet.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real tmpfs for a memory-backed emptyDir (root on Linux only). */
class HostMounterTest {

    @TempDir
    Path tmp;

    @Test
    void mountsASizedTmpfsAndTearDownUnmountsAndRemovesThePodDirectory() throws Exception {
        Assumptions.assumeTrue(HostMounter.available(), "needs root on Linux with mount");
        Mounter m = HostMounter.forHost();
        Path dir = Files.createDirectories(tmp.resolve("root/pods/u1/volumes/kubernetes.io~empty-dir/ram"));
        try {
            assertThat(m.mountTmpfs(dir, 4L * 1024 * 1024)).isTrue();
            assertThat(m.mountsUnder(tmp)).containsExactly(dir);
            assertThat(Files.getFileStore(dir).type()).isEqualTo("tmpfs");
            assertThat(Files.getFileStore(dir).getTotalSpace()).isEqualTo(4L * 1024 * 1024);
            Files.writeString(dir.resolve("f"), "in memory");

            new VolumeManager(tmp.resolve("root"), null, m).tearDown("u1");

            assertThat(m.mountsUnder(tmp)).isEmpty();
            assertThat(tmp.resolve("root/pods/u1")).doesNotExist();
        } finally {
            for (Path p : m.mountsUnder(tmp)) {
                m.unmount(p);
            }
        }
    }
}
