package io.podvisor.cli.image;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code podvisor image ls}. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "Not yet.")
public final class ImageListCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("podvisor image ls: not yet");
        return 1;
    }
}
