package io.podvisor.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.runtime.RuntimeFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real mounts (root on Linux): overlay and private bind mounts through the system calls, and their removal. */
class MountsHostTest {

    @TempDir
    Path dir;

    @BeforeEach
    void rootOnLinux() {
        assumeTrue(System.getProperty("os.name").equals("Linux") && HostCommand.runningAsRoot(), "needs root on Linux");
        assertThat(MountCalls.get()).as("the mount calls bind on Linux").isPresent();
    }

    @AfterEach
    void unmount() {
        if (dir != null) {
            Mounts.unmountAll(dir);
        }
    }

    @Test
    void overlayShowsTheLowerDirAndWritesGoUp() throws Exception {
        Path lower = Files.createDirectories(dir.resolve("lower"));
        Files.writeString(lower.resolve("from-image"), "image");
        Path upper = Files.createDirectories(dir.resolve("upper"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Path root = Files.createDirectories(dir.resolve("rootfs"));

        Mounts.overlay(lower, upper, work, root);

        assertThat(Mounts.under(dir)).containsExactly(root.toString());
        assertThat(Files.readString(root.resolve("from-image"))).isEqualTo("image");
        Files.writeString(root.resolve("written"), "container");
        assertThat(upper.resolve("written")).exists();
        assertThat(lower.resolve("written")).doesNotExist();
        Mounts.unmountAll(dir);
        assertThat(Mounts.under(dir)).isEmpty();
        assertThat(root.resolve("from-image")).doesNotExist();
    }

    @Test
    void aFailedMountSaysWhatAndWhy() {
        Path missing = dir.resolve("no-such-lower");
        assertThatThrownBy(() -> Mounts.overlay(missing, dir, dir, dir))
                .isInstanceOf(RuntimeFailure.class)
                .hasMessage("mounting the container's root filesystem: No such file or directory");
        assertThat(Mounts.under(dir)).isEmpty();
    }

    @Test
    void bindPrivateMountsTheDirOnItselfPrivately() throws Exception {
        Path ns = Files.createDirectories(dir.resolve("ns"));

        Mounts.bindPrivate(ns);

        assertThat(Mounts.under(dir)).containsExactly(ns.toString());
        String line = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.split(" ")[4].equals(ns.toString())).findFirst().orElseThrow();
        assertThat(line.split(" - ")[0]).as("no shared: or master: propagation tag").doesNotContain("shared:", "master:");
        Mounts.unmountAll(dir);
        assertThat(Mounts.under(dir)).isEmpty();
    }
}
