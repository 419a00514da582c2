package io.podvisor.runtime.image;

import static io.podvisor.runtime.testing.TarEntrySpec.dir;
import static io.podvisor.runtime.testing.TarEntrySpec.file;
import static io.podvisor.runtime.testing.TarEntrySpec.hardlink;
import static io.podvisor.runtime.testing.TarEntrySpec.opaque;
import static io.podvisor.runtime.testing.TarEntrySpec.symlink;
import static io.podvisor.runtime.testing.TarEntrySpec.whiteout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podvisor.runtime.testing.BusyboxImage;
import io.podvisor.runtime.testing.BuiltLayout;
import io.podvisor.runtime.testing.OciLayoutBuilder;
import io.podvisor.runtime.testing.OciLayoutBuilder.Compression;
import io.podvisor.runtime.testing.TarEntrySpec;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What installing an image makes of its layers. */
class LayerUnpackingTest {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    @TempDir
    Path dir;

    private ImageConfig install(OciLayoutBuilder b) throws Exception {
        OciImageStore store = new OciImageStore(dir.resolve("store"));
        BusyboxImage.install(store, "test:1", b.build());
        return store.resolve("test:1");
    }

    @Test
    void appliesLayersInOrderWithWhiteoutsAndOpaqueDirectories() throws Exception {
        Path rootfs = install(new OciLayoutBuilder()
                .layer(Compression.GZIP, dir("a"), file("a/keep", "1"), file("a/gone", "1"), dir("o"),
                        file("o/lower", "1"), dir("o/sub"), file("o/sub/deep", "1"), file("over", "old"))
                .layer(Compression.ZSTD, whiteout("a/gone"), file("over", "new"), dir("o"), opaque("o"),
                        file("o/mine", "2"), dir("o/sub"), file("o/sub/mine2", "2"))
                .layer(Compression.NONE, file("top", "3"))).rootfs();

        assertThat(rootfs.resolve("a/keep")).hasContent("1");
        assertThat(rootfs.resolve("a/gone")).doesNotExist();
        assertThat(rootfs.resolve("a/.wh.gone")).doesNotExist();
        assertThat(rootfs.resolve("over")).hasContent("new");
        assertThat(rootfs.resolve("o/lower")).doesNotExist();
        assertThat(rootfs.resolve("o/sub/deep")).doesNotExist();
        assertThat(rootfs.resolve("o/mine")).hasContent("2");
        assertThat(rootfs.resolve("o/sub/mine2")).hasContent("2");
        assertThat(rootfs.resolve("o/.wh..wh..opq")).doesNotExist();
        assertThat(rootfs.resolve("top")).hasContent("3");
    }

    @Test
    void keepsLinksModesOwnersAndTimes() throws Exception {
        Path rootfs = install(new OciLayoutBuilder().layer(Compression.GZIP,
                dir("bin").mtime(1_000_000_000L), file("bin/tool", "x").mode(04755).owner(1000, 1001).mtime(1_500_000_000L),
                hardlink("bin/tool2", "bin/tool"), symlink("bin/t", "tool"), symlink("abs", "/bin/tool"),
                dir("tmp").mode(01777).owner(5, 6))).rootfs();

        Path tool = rootfs.resolve("bin/tool");
        assertThat(Files.getAttribute(tool, "unix:mode")).isEqualTo(0100000 | 04755);
        assertThat(Files.getAttribute(rootfs.resolve("tmp"), "unix:mode")).isEqualTo(0040000 | 01777);
        assertThat(Files.getLastModifiedTime(tool).toMillis()).isEqualTo(1_500_000_000_000L);
        assertThat(Files.getLastModifiedTime(rootfs.resolve("bin")).toMillis()).isEqualTo(1_000_000_000_000L);
        assertThat(Files.readSymbolicLink(rootfs.resolve("bin/t"))).hasToString("tool");
        assertThat(Files.readSymbolicLink(rootfs.resolve("abs"))).hasToString("/bin/tool");
        assertThat(Files.getAttribute(rootfs.resolve("bin/tool2"), "unix:ino"))
                .isEqualTo(Files.getAttribute(tool, "unix:ino"));
        if ("root".equals(System.getProperty("user.name"))) {
            assertThat(Files.getAttribute(tool, "unix:uid")).isEqualTo(1000);
            assertThat(Files.getAttribute(tool, "unix:gid")).isEqualTo(1001);
            assertThat(Files.getAttribute(rootfs.resolve("tmp"), "unix:uid")).isEqualTo(5);
        }
    }

    @Test
    void followsAnAbsoluteSymlinkInsideTheRootOnly() throws Exception {
        Path rootfs = install(new OciLayoutBuilder()
                .layer(Compression.NONE, dir("etc"), symlink("link", dir.resolve("host").toString()))
                .layer(Compression.NONE, file("link/planted", "x"))).rootfs();
        assertThat(rootfs.resolve(dir.resolve("host").toString().substring(1)).resolve("planted")).hasContent("x");
        assertThat(dir.resolve("host/planted")).doesNotExist();
    }

    @Test
    void refusesEveryKindOfEscapeAndPublishesNothing() {
        assertRefused(new OciLayoutBuilder().layer(Compression.NONE, file("../evil", "x")));
        assertRefused(new OciLayoutBuilder().layer(Compression.NONE, dir("a"), file("a/../../evil", "x")));
        assertRefused(new OciLayoutBuilder().layer(Compression.NONE, hardlink("h", "../../etc/passwd")));
        assertRefused(new OciLayoutBuilder().layer(Compression.NONE, hardlink("h", "/etc/hostname-not-in-image")));
        assertRefused(new OciLayoutBuilder().layer(Compression.GZIP, symlink("up", "../../../../.."), file("up/evil", "x")));
        assertRefused(new OciLayoutBuilder().layer(Compression.NONE, dir("d"), symlink("d/up", "../../x"))
                .layer(Compression.NONE, file("d/up/evil", "x")));
        assertRefused(new OciLayoutBuilder().layer(Compression.NONE, TarEntrySpec.file("a/.wh...", "")));
    }

    private void assertRefused(OciLayoutBuilder b) {
        Path root = dir.resolve("refused");
        OciImageStore store = new OciImageStore(root);
        BuiltLayout built = b.build();
        assertThatThrownBy(() -> BusyboxImage.install(store, "bad:1", built))
                .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(ImageContentException.class);
        assertThat(store.list()).isEmpty();
        assertThat(store.status("bad:1")).isEmpty();
        assertThat(dir.resolve("evil")).doesNotExist();
        assertThat(dir.getParent().resolve("evil")).doesNotExist();
        assertThat(children(root.resolve("rootfs"))).isZero();
        assertThat(children(root.resolve("tmp"))).as("nothing left in tmp").isZero();
    }

    private static long children(Path d) {
        if (!Files.isDirectory(d, NOFOLLOW)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
