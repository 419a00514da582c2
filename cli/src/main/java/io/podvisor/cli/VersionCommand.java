package io.podvisor.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code podvisor version}. */
@Command(name = "version", description = "Print podvisor's version and the Kubernetes version it serves.")
final class VersionCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println(Versions.line());
        return 0;
    }
}
