package io.podvisor.cli.image;

import static io.podvisor.runtime.testing.TarEntrySpec.file;
import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.cli.testing.CliRun;
import io.podvisor.runtime.image.OciImageStore;
import io.podvisor.runtime.testing.BuiltLayout;
import io.podvisor.runtime.testing.OciLayoutBuilder.Compression;
import io.podvisor.runtime.testing.OciLayoutBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCommandsTest {

    @TempDir
    Path dir;

    /** The exit code and what a command printed. */
    static CliRun.Output run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void importListAndRemove() {
        BuiltLayout image = new OciLayoutBuilder().layer(Compression.GZIP, file("hello", "world")).cmd("hello").build();
        Path archive = image.writeDockerSave(dir.resolve("save.tar"), "busybox:1.36", "example.com/tools/app:v1");
        String data = dir.resolve("data").toString();
        String id = image.image().configDigest();

        CliRun.Output imported = run("image", "import", archive.toString(), "--data-dir", data);
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).isEqualTo("Imported docker.io/library/busybox:1.36 " + id + "\n"
                + "Imported example.com/tools/app:v1 " + id + "\n");
        assertThat(new OciImageStore(dir.resolve("data/images")).status("busybox:1.36")).isPresent();

        CliRun.Output ls = run("image", "ls", "--data-dir", data);
        assertThat(ls.code()).isZero();
        // docker save keeps layers uncompressed: the store holds (and counts) them so
        String size = ImageListCommand.humanSize(image.diffs().get(image.image().diffIds().getFirst()).length);
        String shortId = id.substring(7, 20);
        assertThat(ls.out()).isEqualTo(
                "IMAGE                       TAG                 IMAGE ID            SIZE\n"
                + "docker.io/library/busybox   1.36                " + shortId + "       " + size + "\n"
                + "example.com/tools/app       v1                  " + shortId + "       " + size + "\n");

        CliRun.Output rm = run("image", "rm", "busybox:1.36", "nosuch:1", "--data-dir", data);
        assertThat(rm.code()).isEqualTo(1);
        assertThat(rm.out()).isEqualTo("Deleted: docker.io/library/busybox:1.36\n");
        assertThat(rm.err()).contains("image \"docker.io/library/nosuch:1\" not found");

        CliRun.Output byId = run("image", "rm", id, "--data-dir", data);
        assertThat(byId.code()).isZero();
        assertThat(byId.out()).isEqualTo("Deleted: example.com/tools/app:v1\n");
        assertThat(run("image", "ls", "--data-dir", data).out()).isEqualTo("IMAGE               TAG                 IMAGE ID            SIZE\n");
    }

    @Test
    void importFailuresAreExitOneWithTheReason() {
        String data = dir.resolve("data").toString();
        Path unnamed = new OciLayoutBuilder().layer(Compression.NONE, file("a", "1")).build().writeOciArchive(dir.resolve("oci.tar"));
        CliRun.Output noName = run("image", "import", unnamed.toString(), "--data-dir", data);
        assertThat(noName.code()).isEqualTo(1);
        assertThat(noName.err()).contains("does not name its image");
        assertThat(run("image", "import", unnamed.toString(), "--name", "mine:2", "--data-dir", data).out())
                .startsWith("Imported docker.io/library/mine:2 sha256:");

        CliRun.Output missing = run("image", "import", dir.resolve("nope.tar").toString(), "--data-dir", data);
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file");
    }

    @Test
    void sizesAreDecimalWithThreeSignificantDigits() {
        assertThat(ImageListCommand.humanSize(2_162_688)).isEqualTo("2.16MB");
        assertThat(ImageListCommand.humanSize(999)).isEqualTo("999B");
        assertThat(ImageListCommand.humanSize(1_234)).isEqualTo("1.23kB");
        assertThat(ImageListCommand.humanSize(0)).isEqualTo("0B");
        assertThat(ImageListCommand.humanSize(12_000_000)).isEqualTo("12MB");
    }
}
