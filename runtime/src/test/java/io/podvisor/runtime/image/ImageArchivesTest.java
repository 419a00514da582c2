package io.podvisor.runtime.image;

import static io.podvisor.runtime.testing.TarEntrySpec.file;
import static io.podvisor.runtime.testing.TarEntrySpec.whiteout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podvisor.runtime.testing.BuiltLayout;
import io.podvisor.runtime.testing.OciLayoutBuilder;
import io.podvisor.runtime.testing.OciLayoutBuilder.Compression;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageArchivesTest {

    @TempDir
    Path dir;

    private OciImageStore store() {
        return new OciImageStore(dir.resolve("store"));
    }

    private static OciLayoutBuilder twoLayers() {
        return new OciLayoutBuilder().layer(Compression.GZIP, file("a", "1"), file("gone", "x"))
                .layer(Compression.ZSTD, file("b", "2"), whiteout("gone")).cmd("run");
    }

    @Test
    void importsALegacyDockerSaveArchive() throws Exception {
        BuiltLayout image = twoLayers().build();
        Path archive = image.writeDockerSave(dir.resolve("save.tar"), "busybox:1.36", "example.com/team/app:v2");
        OciImageStore store = store();

        List<ImageArchives.Imported> imported = new ImageArchives(store).importFrom(archive, null);

        assertThat(imported).extracting(ImageArchives.Imported::reference)
                .containsExactly("docker.io/library/busybox:1.36", "example.com/team/app:v2");
        assertThat(imported.getLast().image().id()).isEqualTo(image.image().configDigest());
        ImageConfig config = store.resolve("busybox:1.36");
        assertThat(config.cmd()).containsExactly("run");
        assertThat(config.rootfs().resolve("b")).hasContent("2");
        assertThat(config.rootfs().resolve("gone")).doesNotExist();
        assertThat(dir.resolve("store/tmp")).isEmptyDirectory();
    }

    @Test
    void prefersManifestJsonNamesInANewerDockerSave() throws Exception {
        Path archive = twoLayers().build().writeDockerSaveWithLayout(dir.resolve("save.tar"), "app:3");
        OciImageStore store = store();
        assertThat(new ImageArchives(store).importFrom(archive, null))
                .extracting(ImageArchives.Imported::reference).containsExactly("docker.io/library/app:3");
        assertThat(store.resolve("app:3").rootfs().resolve("a")).hasContent("1");
    }

    @Test
    void importsThisPlatformFromAnOciArchiveWithABareTag() throws Exception {
        OciLayoutBuilder b = new OciLayoutBuilder().platform("linux", "s390x")
                .layer(Compression.NONE, file("arch", "s390x"));
        b.addPlatform("linux", OciLayoutBuilder.hostArchitecture()).layer(Compression.GZIP, List.of(file("arch", "host")));
        Path archive = b.tag("1.0").build().writeOciArchive(dir.resolve("oci.tar"));
        OciImageStore store = store();
        ImageArchives archives = new ImageArchives(store);

        assertThatThrownBy(() -> archives.importFrom(archive, null)).isInstanceOf(ImageContentException.class)
                .hasMessageContaining("\"1.0\"");
        assertThat(archives.importFrom(archive, "registry.local:5000/tools"))
                .extracting(ImageArchives.Imported::reference).containsExactly("registry.local:5000/tools:1.0");
        assertThat(store.resolve("registry.local:5000/tools:1.0").rootfs().resolve("arch")).hasContent("host");
    }

    @Test
    void importsAnOciLayoutDirectoryByContainerdNameOrTheGivenName() throws Exception {
        Path named = twoLayers().indexEntry(Map.of(ImageArchives.CONTAINERD_NAME, "quay.io/x/y:z",
                ImageArchives.REF_NAME, "z")).build().writeLayout(dir.resolve("named"));
        Path unnamed = new OciLayoutBuilder().layer(Compression.NONE, file("u", "1")).build()
                .writeLayout(dir.resolve("unnamed"));
        OciImageStore store = store();
        ImageArchives archives = new ImageArchives(store);

        assertThat(archives.importFrom(named, null)).extracting(ImageArchives.Imported::reference)
                .containsExactly("quay.io/x/y:z");
        assertThatThrownBy(() -> archives.importFrom(unnamed, null)).isInstanceOf(ImageContentException.class)
                .hasMessageContaining("give a name");
        assertThat(archives.importFrom(unnamed, "mine")).extracting(ImageArchives.Imported::reference)
                .containsExactly("docker.io/library/mine:latest");
        assertThat(store.list()).hasSize(2);
    }

    @Test
    void refusesWhatIsNoImageArchiveAndCorruptBlobs() throws Exception {
        OciImageStore store = store();
        ImageArchives archives = new ImageArchives(store);
        Path junk = Files.writeString(dir.resolve("junk"), "not a tar at all, not at all, really");
        assertThatThrownBy(() -> archives.importFrom(junk, "x")).isInstanceOf(ImageContentException.class);

        BuiltLayout image = twoLayers().tag("latest").build();
        Path layout = image.writeLayout(dir.resolve("layout"));
        Path layer = layout.resolve(OciLayoutBuilder.blobPath(image.image().layerDigests().getLast()));
        byte[] bytes = Files.readAllBytes(layer);
        bytes[bytes.length - 1] ^= 1;
        Files.write(layer, bytes);
        assertThatThrownBy(() -> archives.importFrom(layout, "x")).isInstanceOf(ImageContentException.class)
                .hasMessageContaining("digest mismatch");
        assertThat(store.list()).isEmpty();
    }
}
