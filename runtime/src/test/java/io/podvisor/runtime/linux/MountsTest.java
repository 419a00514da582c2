package io.podvisor.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MountsTest {

    static final String MOUNTINFO = """
            27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
            60 27 0:50 / /var/pv/state/sandboxes/a/ns rw - ext4 /dev/vda rw
            61 60 0:4 ipc:[4026532] /var/pv/state/sandboxes/a/ns/ipc rw - nsfs nsfs rw
            62 60 0:4 uts:[4026533] /var/pv/state/sandboxes/a/ns/uts rw - nsfs nsfs rw
            63 27 0:51 / /var/pv/state/containers/b/rootfs rw - overlay overlay rw,lowerdir=x
            64 27 0:52 / /var/pv/state2/other rw - tmpfs tmpfs rw
            65 27 0:53 / /var/pv/state/with\\040space rw - tmpfs tmpfs rw
            """;

    @Test
    void findsMountsUnderADirectoryDeepestFirst() {
        assertThat(Mounts.under(MOUNTINFO, Path.of("/var/pv/state"))).containsExactly(
                "/var/pv/state/sandboxes/a/ns/uts", "/var/pv/state/sandboxes/a/ns/ipc",
                "/var/pv/state/containers/b/rootfs", "/var/pv/state/sandboxes/a/ns", "/var/pv/state/with space");
        assertThat(Mounts.under(MOUNTINFO, Path.of("/var/pv/state/containers"))).containsExactly(
                "/var/pv/state/containers/b/rootfs");
        assertThat(Mounts.under(MOUNTINFO, Path.of("/nowhere"))).isEmpty();
    }

    @Test
    void unescapesOctalSequences() {
        assertThat(Mounts.unescape("/a\\040b\\011c")).isEqualTo("/a b\tc");
        assertThat(Mounts.unescape("/plain")).isEqualTo("/plain");
        assertThat(Mounts.unescape("/end\\04")).isEqualTo("/end\\04");
        assertThat(Mounts.unescape("/a\\040b/c\\134d")).isEqualTo("/a b/c\\d");
    }

    @Test
    void readsOverlayLowerDirectories() {
        String info = MOUNTINFO + "66 27 0:54 / /c/rootfs rw - overlay overlay rw,lowerdir=/a\\134\\072b:/c\\040d,upperdir=/u,workdir=/w\n";
        assertThat(Mounts.overlayLowerDirs(info)).containsExactly("x", "/a:b", "/c d");
    }
}
