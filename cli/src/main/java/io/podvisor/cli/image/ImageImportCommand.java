package io.podvisor.cli.image;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code podvisor image import}. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Not yet.")
public final class ImageImportCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("podvisor image import: not yet");
        return 1;
    }
}
