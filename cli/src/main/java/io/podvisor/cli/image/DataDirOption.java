package io.podvisor.cli.image;

import io.podvisor.cli.server.DataDir;
import io.podvisor.cli.server.Runtimes;
import io.podvisor.runtime.image.OciImageStore;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data-dir} of the image commands: the node's data directory, whose image store they use. */
public final class DataDirOption {

    @Option(names = "--data-dir",
            description = "The node's data directory (as given to the server; default: /var/lib/podvisor as root, "
                    + "else ~/.local/share/podvisor); images live in its images/ directory.")
    Path dataDir;

    /**
     * The image store of the data directory, which is made private first (or refused with
     * {@link DataDir.UnsafeException} when another user owns it or others may write it).
     */
    public OciImageStore store() throws IOException {
        Path data = DataDir.prepare(dataDir != null ? dataDir : DataDir.defaultPath());
        return new OciImageStore(Runtimes.imagesDir(data));
    }
}
