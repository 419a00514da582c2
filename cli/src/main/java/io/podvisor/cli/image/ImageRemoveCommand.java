package io.podvisor.cli.image;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code podvisor image rm}. */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Not yet.")
public final class ImageRemoveCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("podvisor image rm: not yet");
        return 1;
    }
}
