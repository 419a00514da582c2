package io.podvisor.cli.image;

import io.podvisor.runtime.image.ImageArchives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code podvisor image import FILE [--name REF]}: a docker save archive, an OCI archive or an OCI layout. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import images from a `docker save` archive, an OCI archive or an OCI layout directory.",
                "Names come from the archive (RepoTags, or the index annotations); --name names an image the "
                        + "archive leaves unnamed and gives a bare tag its repository."})
public final class ImageImportCommand implements Callable<Integer> {

    @Mixin
    DataDirOption data;

    @Parameters(index = "0", paramLabel = "FILE", description = "The archive or layout directory.")
    Path file;

    @Option(names = "--name", paramLabel = "REF", description = "The image name to use where the archive gives none.")
    String name;

    @Override
    public Integer call() throws java.io.IOException {
        if (!Files.exists(file)) {
            System.err.println("podvisor image import: " + file + ": no such file or directory");
            return 1;
        }
        var store = data.store();
        try {
            List<ImageArchives.Imported> imported = new ImageArchives(store).importFrom(file, name);
            for (ImageArchives.Imported i : imported) {
                System.out.println("Imported " + i.reference() + " " + i.image().id());
            }
            return 0;
        } catch (IOException e) {
            System.err.println("podvisor image import: " + file + ": " + e.getMessage());
            return 1;
        }
    }
}
