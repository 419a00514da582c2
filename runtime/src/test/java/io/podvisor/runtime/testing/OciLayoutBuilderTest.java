package io.podvisor.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podvisor.runtime.testing.OciLayoutBuilder.Compression;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutBuilderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void writesALayoutWhoseDigestsAndDiffIdsHold() throws Exception {
        BuiltLayout built = new OciLayoutBuilder()
                .layer(Compression.GZIP, TarEntrySpec.dir("etc"), TarEntrySpec.file("etc/motd", "hi").mode(0600).owner(7, 8))
                .layer(Compression.ZSTD, TarEntrySpec.whiteout("etc/motd"), TarEntrySpec.symlink("l", "/etc"))
                .layer(Compression.NONE, TarEntrySpec.opaque("etc"), TarEntrySpec.hardlink("h", "l"))
                .cmd("sh").env("A=1").tag("1.0").build();
        Path layout = built.writeLayout(dir.resolve("layout"));

        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        JsonNode entry = index.path("manifests").get(0);
        assertThat(entry.path("digest").asText()).isEqualTo(built.digest());
        assertThat(entry.path("annotations").path(OciLayoutBuilder.REF_NAME).asText()).isEqualTo("1.0");
        for (Map.Entry<String, byte[]> blob : built.blobs().entrySet()) {
            byte[] onDisk = Files.readAllBytes(layout.resolve(OciLayoutBuilder.blobPath(blob.getKey())));
            assertThat(OciLayoutBuilder.digest(onDisk)).isEqualTo(blob.getKey());
        }
        JsonNode manifest = JSON.readTree(built.blob(built.digest()));
        assertThat(manifest.path("layers").get(1).path("mediaType").asText())
                .isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd");
        JsonNode config = JSON.readTree(built.blob(built.image().configDigest()));
        assertThat(config.path("config").path("Cmd").get(0).asText()).isEqualTo("sh");
        assertThat(config.path("rootfs").path("diff_ids").size()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(built.diffs()).containsKey(config.path("rootfs").path("diff_ids").get(i).asText());
        }

        List<TarArchiveEntry> entries = entries(new GZIPInputStream(
                new ByteArrayInputStream(built.blob(built.image().layerDigests().getFirst()))));
        assertThat(entries).extracting(TarArchiveEntry::getName).containsExactly("etc/", "etc/motd");
        assertThat(entries.get(1).getMode() & 07777).isEqualTo(0600);
        assertThat(entries.get(1).getLongUserId()).isEqualTo(7);
    }

    @Test
    void writesAnIndexPerPlatformAndArchives() throws Exception {
        OciLayoutBuilder b = new OciLayoutBuilder().layer(Compression.NONE, TarEntrySpec.file("a", "amd"));
        b.addPlatform("linux", "s390x").layer(Compression.NONE, List.of(TarEntrySpec.file("a", "s390x")));
        BuiltLayout built = b.build();
        assertThat(built.mediaType()).isEqualTo(OciLayoutBuilder.OCI_INDEX);
        JsonNode idx = JSON.readTree(built.blob(built.digest()));
        assertThat(idx.path("manifests").get(1).path("platform").path("architecture").asText()).isEqualTo("s390x");

        Path save = built.writeDockerSave(dir.resolve("save.tar"), "busybox:1");
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(save)) {
            entries(in).forEach(e -> names.add(e.getName()));
        }
        String hex = built.image().diffIds().getFirst().substring(7);
        assertThat(names).contains("manifest.json", hex + "/layer.tar");
        Path archive = built.writeOciArchive(dir.resolve("oci.tar"));
        try (InputStream in = Files.newInputStream(archive)) {
            assertThat(entries(in)).extracting(TarArchiveEntry::getName).contains("index.json", "oci-layout");
        }
    }

    private static List<TarArchiveEntry> entries(InputStream in) throws Exception {
        List<TarArchiveEntry> out = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                out.add(e);
            }
        }
        return out;
    }
}
