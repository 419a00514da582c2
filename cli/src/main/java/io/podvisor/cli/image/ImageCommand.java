package io.podvisor.cli.image;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code podvisor image …}: the node's image store, usable while a server runs on the same data dir. */
@Command(name = "image",
        mixinStandardHelpOptions = true,
        description = "Manage the images of a node's data directory (works while a server runs on it).",
        subcommands = {ImageImportCommand.class, ImageListCommand.class, ImageRemoveCommand.class, ImagePullCommand.class})
public final class ImageCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
