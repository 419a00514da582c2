package io.podvisor.runtime.image;

import static io.podvisor.runtime.testing.TarEntrySpec.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.linux.HostCommand;
import io.podvisor.runtime.linux.Mounts;
import io.podvisor.runtime.testing.BuiltLayout;
import io.podvisor.runtime.testing.BusyboxImage;
import io.podvisor.runtime.testing.OciLayoutBuilder;
import io.podvisor.runtime.testing.OciLayoutBuilder.Compression;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciImageStoreTest {

    @TempDir
    Path dir;

    private static BuiltLayout image(String content) {
        return new OciLayoutBuilder().layer(Compression.GZIP, file("f", content))
                .entrypoint("/bin/app").cmd("--flag").env("A=1").workingDir("/w").user("1000").build();
    }

    @Test
    void writesBlobsOnlyWhenDigestAndSizeMatch() throws Exception {
        OciImageStore store = new OciImageStore(dir);
        byte[] data = "hello".getBytes();
        String digest = OciLayoutBuilder.digest(data);
        List<Long> progress = new ArrayList<>();
        store.writeBlob(digest, 5, new ByteArrayInputStream(data), progress::add);
        assertThat(store.hasBlob(digest)).isTrue();
        assertThat(store.blobPath(digest)).hasBinaryContent(data);
        assertThat(progress).last().isEqualTo(5L);

        String other = OciLayoutBuilder.digest("other".getBytes());
        assertThatThrownBy(() -> store.writeBlob(other, -1, new ByteArrayInputStream(data), n -> { }))
                .isInstanceOf(ImageContentException.class).hasMessageContaining("digest mismatch");
        assertThatThrownBy(() -> store.writeBlob(digest, 4, new ByteArrayInputStream(data), n -> { }))
                .isInstanceOf(ImageContentException.class);
        assertThat(store.hasBlob(other)).isFalse();
        try (var tmp = Files.list(dir.resolve("tmp"))) {
            assertThat(tmp).isEmpty();
        }
    }

    @Test
    void installsResolvesAndIsSeenByAnotherInstanceAtOnce() throws Exception {
        OciImageStore store = new OciImageStore(dir);
        OciImageStore other = new OciImageStore(dir);
        BuiltLayout image = image("v1");
        assertThat(other.status("example.com/app:1")).isEmpty();
        ImageInfo info = BusyboxImage.install(store, "example.com/app:1", image);

        assertThat(info.id()).isEqualTo(image.image().configDigest());
        assertThat(info.repoTags()).containsExactly("example.com/app:1");
        assertThat(info.size()).isEqualTo(image.image().layersSize(image));
        assertThat(other.status("example.com/app:1")).contains(info);
        assertThat(other.status(info.id())).contains(info);
        assertThat(other.list()).containsExactly(info);

        ImageConfig config = other.resolve("example.com/app:1");
        assertThat(config.reference()).isEqualTo("example.com/app:1");
        assertThat(config.id()).isEqualTo(info.id());
        assertThat(config.entrypoint()).containsExactly("/bin/app");
        assertThat(config.cmd()).containsExactly("--flag");
        assertThat(config.env()).containsExactly("A=1");
        assertThat(config.workingDir()).isEqualTo("/w");
        assertThat(config.user()).isEqualTo("1000");
        assertThat(config.rootfs()).isEqualTo(dir.resolve("rootfs").resolve(info.id().substring(7)));
        assertThat(config.rootfs().resolve("f")).hasContent("v1");
        assertThat(dir.resolve("refs/example.com/app/1.json")).isRegularFile();
        assertThatThrownBy(() -> other.resolve("x:1")).isInstanceOf(RuntimeFailure.class)
                .hasMessage("image \"docker.io/library/x:1\" not found");
    }

    @Test
    void publishesTheRepoDigestAndReusesTheRootFilesystem() throws Exception {
        OciImageStore store = new OciImageStore(dir);
        BuiltLayout image = image("v1");
        BusyboxImage.install(store, "app:1", image);
        Path rootfs = store.resolve("app:1").rootfs();
        Files.writeString(rootfs.resolve("marker"), "reused");
        String repoDigest = "docker.io/library/app@" + image.digest();
        ImageInfo info = store.install("app:2", image.digest(), repoDigest);

        assertThat(info.repoTags()).containsExactly("docker.io/library/app:1", "docker.io/library/app:2");
        assertThat(info.repoDigests()).containsExactly(repoDigest);
        assertThat(info.imageRef()).isEqualTo(repoDigest);
        assertThat(store.resolve(repoDigest).rootfs().resolve("marker")).hasContent("reused");
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void refusesACorruptedLayerAndPublishesNothing() throws Exception {
        OciImageStore store = new OciImageStore(dir);
        BuiltLayout image = image("v1");
        BusyboxImage.install(store, "app:1", image);
        store.remove("app:1");
        for (var blob : image.blobs().entrySet()) {
            store.writeBlob(blob.getKey(), -1, new ByteArrayInputStream(blob.getValue()), n -> { });
        }
        byte[] layer = image.blob(image.image().layerDigests().getFirst());
        layer[layer.length / 2] ^= 1;
        Files.write(store.blobPath(image.image().layerDigests().getFirst()), layer);

        assertThatThrownBy(() -> store.install("app:1", image.digest(), null))
                .isInstanceOf(ImageContentException.class);
        assertThat(store.status("app:1")).isEmpty();
        assertThat(dir.resolve("rootfs")).isEmptyDirectory();
        assertThat(dir.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void removingTheLastReferenceCollectsBlobsAndRootFilesystems() throws Exception {
        OciImageStore store = new OciImageStore(dir);
        BuiltLayout one = image("one");
        BuiltLayout two = image("two");
        BusyboxImage.install(store, "one:1", one);
        BusyboxImage.install(store, "one:latest", one);
        BusyboxImage.install(store, "two:1", two);

        store.remove("one:1");
        assertThat(store.status("one:latest")).isPresent();
        assertThat(store.hasBlob(one.image().configDigest())).isTrue();
        store.remove("one");
        assertThat(store.status("one:latest")).isEmpty();
        assertThat(store.hasBlob(one.image().configDigest())).isFalse();
        assertThat(store.hasBlob(one.image().layerDigests().getFirst())).isFalse();
        assertThat(dir.resolve("rootfs").resolve(one.image().configDigest().substring(7))).doesNotExist();
        assertThat(dir.resolve("refs/docker.io/library/one")).doesNotExist();
        assertThat(store.resolve("two:1").rootfs().resolve("f")).hasContent("two");
        assertThatThrownBy(() -> store.remove("one:1")).isInstanceOf(RuntimeFailure.class)
                .hasMessage("image \"docker.io/library/one:1\" not found");

        BusyboxImage.install(store, "two:1", one);
        assertThat(store.hasBlob(two.image().configDigest())).as("replaced content is collected").isFalse();
        store.remove(one.image().configDigest());
        assertThat(store.list()).isEmpty();
    }

    @Test
    void refusesToRemoveAnImageAContainerUses() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && HostCommand.onPath("mount"), "needs root");
        OciImageStore store = new OciImageStore(dir.resolve("store"));
        BusyboxImage.install(store, "app:1", image("v1"));
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Files.createSymbolicLink(bundle.resolve("lower"), store.resolve("app:1").rootfs());
        Path upper = Files.createDirectories(bundle.resolve("upper"));
        Path work = Files.createDirectories(bundle.resolve("work"));
        Path rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        Mounts.overlay(bundle.resolve("lower"), upper, work, rootfs);
        try {
            assertThat(rootfs.resolve("f")).hasContent("v1");
            assertThatThrownBy(() -> store.remove("app:1")).isInstanceOf(RuntimeFailure.class)
                    .hasMessageContaining("in use");
            assertThat(store.status("app:1")).isPresent();
        } finally {
            Mounts.unmountAll(bundle);
        }
        store.remove("app:1");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void refusesIndexesUnknownMediaTypesAndMissingBlobs() throws Exception {
        OciImageStore store = new OciImageStore(dir);
        OciLayoutBuilder b = new OciLayoutBuilder().layer(Compression.NONE, file("a", "1"));
        b.addPlatform("linux", "arm64").layer(Compression.NONE, List.of(file("a", "2")));
        BuiltLayout index = b.build();
        assertThatThrownBy(() -> BusyboxImage.install(store, "x:1", new BuiltLayout(index.mediaType(),
                index.digest(), index.size(), index.blobs(), index.diffs(),
                List.of(new BuiltLayout.BuiltImage("linux", "amd64", index.digest(), 0, "", List.of(), List.of())),
                index.indexAnnotations())))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("image index");
        assertThatThrownBy(() -> store.install("x:1", image("q").digest(), null))
                .isInstanceOf(ImageContentException.class).hasMessageContaining("missing");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void installsDockerMediaTypes() throws Exception {
        OciImageStore store = new OciImageStore(dir);
        BuiltLayout image = new OciLayoutBuilder().dockerMediaTypes()
                .layer(Compression.GZIP, file("a", "1")).layer(Compression.NONE, file("b", "2")).build();
        BusyboxImage.install(store, "d:1", image);
        Path rootfs = store.resolve("d:1").rootfs();
        assertThat(rootfs.resolve("a")).hasContent("1");
        assertThat(rootfs.resolve("b")).hasContent("2");
    }
}
