package io.podvisor.cli.image;

import static io.podvisor.runtime.testing.TarEntrySpec.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.cli.testing.CliRun;
import io.podvisor.core.FileTrees;
import io.podvisor.runtime.image.ImageInfo;
import io.podvisor.runtime.image.OciImageStore;
import io.podvisor.runtime.testing.BuiltLayout;
import io.podvisor.runtime.testing.LocalRegistry;
import io.podvisor.runtime.testing.OciLayoutBuilder.Compression;
import io.podvisor.runtime.testing.OciLayoutBuilder;
import io.podvisor.runtime.testing.TokenAuthProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code podvisor image pull} against a real registry on loopback. */
class ImagePullCommandTest {

    private static LocalRegistry registry;
    private static BuiltLayout image;
    private Path dataDir;
    private String out;
    private String err;

    @BeforeAll
    static void startRegistry() throws Exception {
        assumeTrue(LocalRegistry.available(), "docker-registry and skopeo are needed");
        registry = LocalRegistry.start();
        image = new OciLayoutBuilder()
                .layer(Compression.GZIP, file("hello.txt", "hello from the registry"))
                .layer(Compression.ZSTD, file("big.bin", new byte[300_000]))
                .build();
        registry.push(image, "cli/hello:1");
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void newDataDir() throws IOException {
        dataDir = Files.createTempDirectory("podvisor-cli-pull-");
    }

    @AfterEach
    void deleteDataDir() {
        FileTrees.delete(dataDir);
    }

    private int run(String... args) {
        CliRun.Output o = CliRun.run(args);
        out = o.out();
        err = o.err();
        return o.code();
    }

    @Test
    void pullsIntoTheDataDirectoryShowingProgress() {
        String ref = registry.host() + "/cli/hello:1";

        int code = run("image", "pull", ref, "--data-dir", dataDir.toString());

        assertThat(code).as(err).isZero();
        String layer = image.image().layerDigests().get(1);
        assertThat(out).contains(ref + ": resolved " + image.digest().substring(0, 19) + ", 2 layers, ")
                .contains(layer.substring(0, 19) + " ")
                .contains(ref + ": unpacking")
                .containsPattern("(?m)^Pulled " + ref.replace(".", "\\.") + " \\("
                        + image.image().configDigest() + "\\) in (\\d+ms|\\d+\\.\\ds)$");
        assertThat(out).as("plain lines, no carriage returns off a terminal").doesNotContain("\r");
        ImageInfo info = new OciImageStore(dataDir.resolve("images")).status(ref).orElseThrow();
        assertThat(info.id()).isEqualTo(image.image().configDigest());
        assertThat(dataDir.resolve("images/rootfs").resolve(info.id().substring(7)).resolve("hello.txt"))
                .hasContent("hello from the registry");
    }

    @Test
    void aMissingImageExitsOneWithThePullError() {
        String ref = registry.host() + "/cli/nosuch:1";

        int code = run("image", "pull", ref, "--data-dir", dataDir.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err).isEqualTo("podvisor: failed to pull and unpack image \"" + ref + "\": failed to resolve "
                + "reference \"" + ref + "\": " + ref + ": not found" + System.lineSeparator());
        assertThat(out).doesNotContain("Pulled");
    }

    @Test
    void credentialsOpenATokenProtectedRegistry() throws Exception {
        try (TokenAuthProxy proxy = TokenAuthProxy.start(registry, "bob", "hunter2", "unused")) {
            String ref = proxy.host() + "/cli/hello:1";

            assertThat(run("image", "pull", ref, "--data-dir", dataDir.toString())).isEqualTo(1);
            assertThat(err).contains("pull access denied");

            int code = run("image", "pull", ref, "--data-dir", dataDir.toString(), "--username", "bob",
                    "--password", "hunter2");

            assertThat(code).as(err).isZero();
            assertThat(out).contains("Pulled " + ref + " (" + image.image().configDigest() + ")");
        }
    }

    @Test
    void aUsernameWithoutPasswordIsAUsageError() {
        assertThat(run("image", "pull", "busybox", "--data-dir", dataDir.toString(), "--username", "bob"))
                .isEqualTo(2);
        assertThat(err).contains("--username and --password go together");
    }
}
