package io.podvisor.cli.run;

import io.podvisor.cli.run.Manifests.Manifest;
import ch.qos.logback.classic.Level;
import io.podvisor.cli.logging.NodeLog;
import io.podvisor.cli.logging.VerbosityOption;
import io.podvisor.cli.server.DataDir;
import io.podvisor.cli.server.NodeNames;
import io.podvisor.cli.server.NodeServer;
import io.podvisor.cli.server.Runtimes;
import io.podvisor.core.SystemClock;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code podvisor run FILE…}: an embedded node (API on {@code 127.0.0.1}, any free port), the
 * files' objects created in order, a live timeline until {@code --until} holds or
 * {@code --timeout} passes, a summary, and then everything removed again. Exit codes: 0 when the
 * condition held (always for {@code --until DURATION}), 1 when it timed out, a Job or bare pod
 * failed, or an object was refused, 2 for usage errors.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the objects of YAML files on an embedded node, show what happens, then clean up.")
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "YAML files (multi-document) of the objects to create, in order.")
    List<Path> files;

    @Option(names = "--until", paramLabel = "ready|complete|DURATION",
            description = "ready: every pod Ready (or Succeeded); complete: every Job and bare pod finished; "
                    + "DURATION (e.g. 30s): run that long. Default: complete when the files hold a Job, else ready.")
    String until;

    @Option(names = "--timeout", defaultValue = "5m", description = "How long ready/complete may take (default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--data-dir", description = "Where the node keeps its state (default: a private temporary directory, removed afterwards).")
    Path dataDir;

    @Option(names = "--runtime", defaultValue = "auto",
            description = "The container runtime: auto, runc, process or fake (default ${DEFAULT-VALUE}).")
    String runtime;

    @Option(names = "--pod-cidr",
            description = "The pod addresses of the runc runtime's bridge (default: the first /16 from 10.88.0.0/16 on "
                    + "that no other node on this host uses).")
    String podCidr;

    @picocli.CommandLine.Mixin
    VerbosityOption verbosity;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Until condition;
        Duration limit;
        try {
            condition = until == null ? null : Until.parse(until);
            limit = Until.duration(timeout);
        } catch (IllegalArgumentException e) {
            err.println("podvisor run: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (verbosity.problem() != null) {
            err.println("podvisor run: " + verbosity.problem());
            err.flush();
            return 2;
        }
        String kind = Runtimes.resolve(runtime);
        if (!List.of("runc", "process", "fake").contains(kind)) {
            err.println("podvisor run: unknown runtime \"" + runtime + "\"; available: " + Runtimes.KINDS);
            err.flush();
            return 2;
        }
        List<Manifest> manifests;
        try {
            manifests = Manifests.read(files);
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
        if (condition == null) {
            boolean jobs = manifests.stream().anyMatch(m -> m.kind().equals("Job"));
            condition = new Until(jobs ? Until.Mode.COMPLETE : Until.Mode.READY, null);
        }
        return run(manifests, condition, limit, kind);
    }

    private int run(List<Manifest> manifests, Until condition, Duration limit, String kind) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // a temporary directory is made 0700 (createTempDirectory); a given one is checked and made private
        Path dir = dataDir != null ? DataDir.prepare(dataDir) : Files.createTempDirectory("podvisor-run-");
        // the terminal shows the timeline: the log goes to the data dir's file, only warnings to standard error
        NodeLog.configure(dir, verbosity.level(), Level.WARN);
        SystemClock clock = new SystemClock();
        ContainerRuntime rt;
        try {
            rt = Runtimes.create(new Runtimes.Choice(kind, null, podCidr, java.util.Set.of(), dataDir == null), dir, clock);
        } catch (RuntimeFailure e) {
            err.println("podvisor run: " + e.getMessage());
            err.flush();
            clock.close();
            Cleanup.removeTemporary(dataDir == null ? dir : null);
            return 1;
        }
        NodeServer server;
        try {
            server = NodeServer.start(new NodeServer.Options(dir, 0, "127.0.0.1", NodeNames.hostName(), null),
                    clock, new VirtualThreadKeyedExecutor(), rt);
        } catch (IOException | RuntimeException e) {
            rt.shutdown();
            clock.close();
            Cleanup.removeTemporary(dataDir == null ? dir : null);
            throw e;
        }
        out.println(announce(kind));
        Cleanup cleanup = new Cleanup(server, clock, dataDir == null ? dir : null);
        Thread hook = new Thread(cleanup::run, "podvisor-run-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return new Session(server.registries(), rt.images(), clock, out, err, cleanup).run(manifests, condition, limit);
        } finally {
            cleanup.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook does the same work
            }
        }
    }

    /** The first line: which runtime runs the pods, and why not runc when {@code auto} fell back. */
    private String announce(String kind) {
        String line = "podvisor run: node " + NodeNames.hostName() + ", " + kind + " runtime";
        return switch (kind) {
            case "runc" -> line + " (OCI containers)";
            case "process" -> line + " (host processes, images not used"
                    + Runtimes.runcUnavailableReason().filter(r -> runtime.equals("auto")).map(r -> "; runc: " + r).orElse("")
                    + ")";
            default -> line + " (scripted, nothing runs)";
        };
    }
}
