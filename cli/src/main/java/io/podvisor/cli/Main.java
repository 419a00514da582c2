package io.podvisor.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code podvisor} command line: the composition root of every sub-command. */
@Command(name = "podvisor",
        mixinStandardHelpOptions = true,
        versionProvider = Versions.class,
        description = "A Kubernetes node in one Java process.")
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("server") || args[0].equals("run"))) {
            // a node opens its SQLite store and sets up its log soon: SQLite's native library loads and
            // logback starts (about 30 ms with the start-up cache) on the other core meanwhile
            Thread.ofPlatform().name("podvisor-preload").daemon().start(() -> {
                io.podvisor.store.sqlite.SqliteStore.preload();
                org.slf4j.LoggerFactory.getILoggerFactory();
            });
        }
        System.exit(run(args));
    }

    /** The sub-commands by name, in the order usage lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("version", VersionCommand::new);
        m.put("server", ServerCommand::new);
        m.put("agent", AgentCommand::new);
        m.put("image", io.podvisor.cli.image.ImageCommand::new);
        m.put("run", io.podvisor.cli.run.RunCommand::new);
        return m;
    }

    /**
     * Runs the command line and returns its exit code (tests call this). Only the sub-command named
     * first is built when there is one (picocli reads every command's annotations when it is added,
     * a noticeable part of a start); otherwise all of them, for usage and errors.
     */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Supplier<Object> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
        if (named != null) {
            cl.addSubcommand(args[0], named.get());
        } else {
            COMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
        }
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof io.podvisor.cli.server.DataDir.UnsafeException unsafe) {
                line.getErr().println("podvisor: " + unsafe.getMessage());
                line.getErr().flush();
                return 2;
            }
            throw e;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
