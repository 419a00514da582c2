package io.podvisor.cli.image;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code podvisor image pull}. */
@Command(name = "pull", mixinStandardHelpOptions = true, description = "Not yet.")
public final class ImagePullCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("podvisor image pull: not yet");
        return 1;
    }
}
