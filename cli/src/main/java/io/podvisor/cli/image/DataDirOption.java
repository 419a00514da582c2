package io.podvisor.cli.image;

import io.podvisor.cli.server.Runtimes;
import io.podvisor.runtime.image.OciImageStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data-dir} of the image commands: the node's data directory, whose image store they use. */
public final class DataDirOption {

    @Option(names = "--data-dir", required = true,
            description = "The node's data directory (as given to the server); images live in its images/ directory.")
    Path dataDir;

    /** The image store of the data directory. */
    public OciImageStore store() {
        return new OciImageStore(Runtimes.imagesDir(dataDir.toAbsolutePath()));
    }
}
