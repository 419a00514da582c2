package io.podvisor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code podvisor} command line: the composition root of every sub-command. */
@Command(name = "podvisor",
        mixinStandardHelpOptions = true,
        versionProvider = Versions.class,
        description = "A Kubernetes node in one Java process.",
        subcommands = {VersionCommand.class, ServerCommand.class, io.podvisor.cli.image.ImageCommand.class,
                io.podvisor.cli.run.RunCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
