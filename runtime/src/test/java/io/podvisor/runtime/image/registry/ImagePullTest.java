package io.podvisor.runtime.image.registry;

import static io.podvisor.runtime.testing.TarEntrySpec.dir;
import static io.podvisor.runtime.testing.TarEntrySpec.file;
import static io.podvisor.runtime.testing.TarEntrySpec.opaque;
import static io.podvisor.runtime.testing.TarEntrySpec.whiteout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.core.FileTrees;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.image.ImageInfo;
import io.podvisor.runtime.image.LocalImages;
import io.podvisor.runtime.image.OciImageStore;
import io.podvisor.runtime.image.PullProgress;
import io.podvisor.runtime.image.RegistryAuth;
import io.podvisor.runtime.testing.BuiltLayout;
import io.podvisor.runtime.testing.LocalRegistry;
import io.podvisor.runtime.testing.OciLayoutBuilder;
import io.podvisor.runtime.testing.OciLayoutBuilder.Compression;
import io.podvisor.runtime.testing.TokenAuthProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pulls from a real registry on loopback into a real {@link OciImageStore}. */
class ImagePullTest {

    private static LocalRegistry registry;
    private static BuiltLayout layered;
    private Path storeDir;
    private OciImageStore store;

    @BeforeAll
    static void startRegistry() throws Exception {
        assumeTrue(LocalRegistry.available(), "docker-registry and skopeo are needed");
        registry = LocalRegistry.start();
        layered = new OciLayoutBuilder()
                .layer(Compression.GZIP, dir("etc"), file("etc/keep", "kept"), file("etc/gone", "deleted above"),
                        dir("cache"), file("cache/old", "hidden by the opaque dir"))
                .layer(Compression.ZSTD, whiteout("etc/gone"), dir("cache"), opaque("cache"), file("cache/new", "fresh"))
                .cmd("sh")
                .build();
        registry.push(layered, "test/layered:1");
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void newStore() throws IOException {
        storeDir = Files.createTempDirectory("podvisor-pull-");
        store = new OciImageStore(storeDir);
    }

    @AfterEach
    void deleteStore() {
        FileTrees.delete(storeDir);
    }

    private ImageInfo pull(String reference) throws RuntimeFailure {
        return new ImagePuller(store, ImagePuller.Options.defaults()).pull(reference, List.of(), PullProgress.NONE);
    }

    private Path rootfs(String imageId) {
        return storeDir.resolve("rootfs").resolve(imageId.substring("sha256:".length()));
    }

    @Test
    void pullsByTagWithGzipAndZstdLayersWhiteoutsAndOpaqueDirs() throws Exception {
        String ref = registry.host() + "/test/layered:1";
        Recording progress = new Recording();

        ImageInfo info = new ImagePuller(store, ImagePuller.Options.defaults()).pull(ref, List.of(), progress);

        assertThat(info.id()).isEqualTo(layered.image().configDigest());
        assertThat(info.repoTags()).containsExactly(ref);
        assertThat(info.repoDigests()).containsExactly(registry.host() + "/test/layered@" + layered.digest());
        assertThat(info.size()).isEqualTo(layered.image().layersSize(layered));
        Path rootfs = rootfs(info.id());
        assertThat(rootfs.resolve("etc/keep")).hasContent("kept");
        assertThat(rootfs.resolve("etc/gone")).doesNotExist();
        assertThat(rootfs.resolve("cache/new")).hasContent("fresh");
        assertThat(rootfs.resolve("cache/old")).doesNotExist();
        assertThat(store.status(ref)).contains(info);
        assertThat(progress.events).first().isEqualTo("resolved " + ref + " " + layered.digest() + " 2");
        assertThat(progress.events).contains("done " + layered.image().layerDigests().get(1), "unpacking " + ref);
    }

    @Test
    void pullsByDigestAndAgainWithoutDownloading() throws Exception {
        String byDigest = registry.host() + "/test/layered@" + layered.digest();

        ImageInfo info = pull(byDigest);

        assertThat(info.id()).isEqualTo(layered.image().configDigest());
        assertThat(info.repoDigests()).containsExactly(byDigest);
        assertThat(rootfs(info.id()).resolve("etc/keep")).exists();

        int blobGets = registry.requests("/v2/test/layered/blobs/").size();
        Recording again = new Recording();
        new ImagePuller(store, ImagePuller.Options.defaults()).pull(registry.host() + "/test/layered:1", List.of(), again);
        assertThat(registry.requests("/v2/test/layered/blobs/")).hasSize(blobGets);
        assertThat(again.events).contains("present " + layered.image().configDigest(),
                "present " + layered.image().layerDigests().get(0), "present " + layered.image().layerDigests().get(1));
    }

    @Test
    void aWrongDigestIsNotFound() {
        String missing = registry.host() + "/test/layered@sha256:" + "0".repeat(64);

        assertThatThrownBy(() -> pull(missing)).isInstanceOf(RuntimeFailure.class)
                .hasMessage("failed to pull and unpack image \"" + missing + "\": failed to resolve reference \""
                        + missing + "\": " + missing + ": not found");
    }

    @Test
    void aMissingImageIsNotFound() {
        String missing = registry.host() + "/test/nosuch:1";

        assertThatThrownBy(() -> pull(missing)).isInstanceOf(RuntimeFailure.class)
                .hasMessage("failed to pull and unpack image \"" + missing + "\": failed to resolve reference \""
                        + missing + "\": " + missing + ": not found");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void installsThisPlatformsImageOfAnIndex() throws Exception {
        OciLayoutBuilder builder = new OciLayoutBuilder().platform("linux", "amd64");
        builder.layer(Compression.GZIP, file("arch", "amd64"));
        builder.addPlatform("linux", "arm64").layer(Compression.GZIP, List.of(file("arch", "arm64")));
        BuiltLayout multi = builder.build();
        registry.push(multi, "test/multi:1");
        String ref = registry.host() + "/test/multi:1";

        ImageInfo amd = new ImagePuller(store, ImagePuller.Options.defaults(), Platform.forArch("amd64"))
                .pull(ref, List.of(), PullProgress.NONE);
        ImageInfo arm = new ImagePuller(new OciImageStore(storeDir.resolve("arm")), ImagePuller.Options.defaults(),
                Platform.forArch("aarch64")).pull(ref, List.of(), PullProgress.NONE);

        assertThat(amd.id()).isEqualTo(multi.images().get(0).configDigest());
        assertThat(rootfs(amd.id()).resolve("arch")).hasContent("amd64");
        assertThat(arm.id()).isEqualTo(multi.images().get(1).configDigest());
        assertThat(storeDir.resolve("arm/rootfs").resolve(arm.id().substring(7)).resolve("arch")).hasContent("arm64");
        assertThat(amd.repoDigests()).containsExactly(registry.host() + "/test/multi@" + multi.digest());
        assertThat(arm.repoDigests()).isEqualTo(amd.repoDigests());
    }

    @Test
    void dockerMediaTypesPullToo() throws Exception {
        BuiltLayout docker = new OciLayoutBuilder().dockerMediaTypes()
                .layer(Compression.GZIP, file("hello", "docker")).build();
        registry.push(docker, "test/docker:1");

        ImageInfo info = pull(registry.host() + "/test/docker:1");

        assertThat(info.id()).isEqualTo(docker.image().configDigest());
        assertThat(rootfs(info.id()).resolve("hello")).hasContent("docker");
    }

    @Test
    void aCorruptedBlobFailsAndInstallsNothing() throws Exception {
        BuiltLayout image = new OciLayoutBuilder()
                .layer(Compression.GZIP, file("a", "first"))
                .layer(Compression.GZIP, file("b", "second")).build();
        registry.push(image, "test/corrupt:1");
        String layer = image.image().layerDigests().get(1);
        byte[] bytes = Files.readAllBytes(registry.blobFile(layer));
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(registry.blobFile(layer), bytes);
        String ref = registry.host() + "/test/corrupt:1";

        assertThatThrownBy(() -> pull(ref)).isInstanceOf(RuntimeFailure.class)
                .hasMessage("failed to pull and unpack image \"" + ref + "\": failed commit on ref \"layer-" + layer
                        + "\": unexpected commit digest " + OciLayoutBuilder.digest(bytes) + ", expected " + layer
                        + ": failed precondition");
        assertThat(store.status(ref)).isEmpty();
        assertThat(store.hasBlob(layer)).isFalse();
        assertThat(rootfs(image.image().configDigest())).doesNotExist();
    }

    @Test
    void bearerTokenAuthAndBlobRedirects() throws Exception {
        BuiltLayout image = new OciLayoutBuilder().layer(Compression.GZIP, file("secret", "behind auth")).build();
        registry.push(image, "test/private:1");
        try (TokenAuthProxy proxy = TokenAuthProxy.start(registry, "alice", "s3cret", "refresh").redirectBlobs(true)) {
            String ref = proxy.host() + "/test/private:1";
            ImagePuller puller = new ImagePuller(store, ImagePuller.Options.defaults());

            assertThatThrownBy(() -> puller.pull(ref, List.of(), PullProgress.NONE))
                    .hasMessage("failed to pull and unpack image \"" + ref + "\": failed to resolve reference \"" + ref
                            + "\": pull access denied, repository does not exist or may require authorization: "
                            + "server message: insufficient_scope: authorization failed");

            ImageInfo info = puller.pull(ref, List.of(new RegistryAuth("alice", "s3cret", "")), PullProgress.NONE);

            assertThat(rootfs(info.id()).resolve("secret")).hasContent("behind auth");
            assertThat(info.repoDigests()).containsExactly(proxy.host() + "/test/private@" + image.digest());
            assertThat(proxy.tokenRequests()).contains("GET basic:alice scope=repository:test/private:pull");
            assertThat(registry.requests("/v2/test/private/blobs/" + image.image().layerDigests().getFirst()))
                    .as("the blob came from the redirect target").singleElement().asString().endsWith("\"podvisor\"");
        }
    }

    @Test
    void localhostIsReachedOverPlainHttp() throws Exception {
        String ref = "localhost:" + registry.port() + "/test/layered:1";

        ImageInfo info = new ImagePuller(store, new ImagePuller.Options(Set.of())).pull(ref, List.of(), PullProgress.NONE);

        assertThat(info.repoTags()).containsExactly(ref);
    }

    @Test
    void concurrentPullsOfOneReferenceShareOneDownload() throws Exception {
        BuiltLayout image = new OciLayoutBuilder().layer(Compression.ZSTD, file("shared", "once")).build();
        registry.push(image, "test/shared:1");
        String ref = registry.host() + "/test/shared:1";
        LocalImages images = new LocalImages(store, new ImagePuller(store, ImagePuller.Options.defaults()));
        CountDownLatch bothAsked = new CountDownLatch(1);
        PullProgress holdsTheFirstPull = new PullProgress() {
            @Override
            public void resolved(String reference, String manifestDigest, int layers, long totalBytes) {
                try {
                    bothAsked.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Recording second = new Recording();

        CompletableFuture<ImageInfo> first = images.pull(ref, List.of(), holdsTheFirstPull).toCompletableFuture();
        CompletableFuture<ImageInfo> other = images.pull(ref, List.of(), second).toCompletableFuture();
        bothAsked.countDown();

        assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo(other.get(60, TimeUnit.SECONDS));
        assertThat(registry.requests("/v2/test/shared/manifests/1 ")).hasSize(1);
        assertThat(registry.requests("/v2/test/shared/blobs/" + image.image().layerDigests().getFirst())).hasSize(1);
        assertThat(second.events).as("the joining caller hears the shared download")
                .contains("done " + image.image().layerDigests().getFirst());
    }

    @Test
    void anObserverHearsEveryPullWhoeverAskedForIt() throws Exception {
        BuiltLayout image = new OciLayoutBuilder().layer(Compression.GZIP, file("seen", "by the observer")).build();
        registry.push(image, "test/observed:1");
        String ref = registry.host() + "/test/observed:1";
        LocalImages images = new LocalImages(store, new ImagePuller(store, ImagePuller.Options.defaults()));
        Recording observer = new Recording();
        images.observe(observer);

        images.pull(ref, List.of(), PullProgress.NONE).toCompletableFuture().get(60, TimeUnit.SECONDS);

        String layer = image.image().layerDigests().getFirst();
        assertThat(observer.events).containsSubsequence(
                "resolved " + ref + " " + image.image().manifestDigest() + " 1", "done " + layer, "unpacking " + ref);
    }

    /** Progress events as strings. */
    static final class Recording implements PullProgress {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void resolved(String reference, String manifestDigest, int layers, long totalBytes) {
            events.add("resolved " + reference + " " + manifestDigest + " " + layers);
        }

        @Override
        public void blob(String digest, long done, long total) {
            if (done == total) {
                events.add("done " + digest);
            }
        }

        @Override
        public void blobPresent(String digest) {
            events.add("present " + digest);
        }

        @Override
        public void unpacking(String reference) {
            events.add("unpacking " + reference);
        }
    }
}
