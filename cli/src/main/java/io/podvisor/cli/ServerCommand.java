package io.podvisor.cli;

import ch.qos.logback.classic.Level;
import io.podvisor.cli.logging.NodeLog;
import io.podvisor.cli.logging.VerbosityOption;
import io.podvisor.cli.server.DataDir;
import io.podvisor.cli.server.NodeServer;
import io.podvisor.core.SystemClock;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code podvisor server}: runs a node in the foreground until interrupted. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run a node: the HTTPS API kubectl talks to, the kubelet and the controllers, in the foreground.")
public final class ServerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", description = "Where the node keeps its state, certificates, token and kubeconfig "
            + "(default: /var/lib/podvisor as root, else ~/.local/share/podvisor). Created private (0700); "
            + "refused when another user owns it or others may write it.")
    Path dataDir;

    @Option(names = "--port", defaultValue = "6443", description = "The HTTPS port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--bind-address", defaultValue = "127.0.0.1",
            description = "The address to listen on (default ${DEFAULT-VALUE}). Anything else exposes the API beyond this machine.")
    String bindAddress;

    @Option(names = "--node-name", description = "This node's name (default: the host name).")
    String nodeName;

    @Option(names = "--manifests", description = "The static pod directory (default: DATA-DIR/manifests).")
    Path manifests;

    @picocli.CommandLine.Mixin
    NodeRuntimeOptions node;

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "A registry to pull from over plain HTTP (repeatable); registries on loopback always are.")
    List<String> insecureRegistries = new java.util.ArrayList<>();

    @picocli.CommandLine.Mixin
    VerbosityOption verbosity;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = node.problem();
        if (problem != null) {
            err.println("podvisor: " + problem);
            return 2;
        }
        if (verbosity.problem() != null) {
            err.println("podvisor: " + verbosity.problem());
            return 2;
        }
        Path data = DataDir.prepare(dataDir != null ? dataDir : DataDir.defaultPath());
        NodeLog.configure(data, verbosity.level(), Level.TRACE); // a server's log is on its standard error too
        String name = nodeName != null ? nodeName : io.podvisor.cli.server.NodeNames.hostName();
        SystemClock clock = new SystemClock();
        ContainerRuntime rt;
        try {
            rt = node.create(data, clock, java.util.Set.copyOf(insecureRegistries));
        } catch (RuntimeFailure e) {
            err.println("podvisor: " + e.getMessage());
            clock.close();
            return 1;
        }
        NodeServer server = NodeServer.start(new NodeServer.Options(data, port, bindAddress, name, manifests, node.maxPods()),
                clock, new VirtualThreadKeyedExecutor(), rt);
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            server.threadDied(error); // an OutOfMemoryError anywhere: the health checks say so
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                error.printStackTrace(System.err);
            }
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            clock.close();
            stopped.countDown();
        }, "podvisor-shutdown"));
        out.println("podvisor: node \"" + name + "\" serving https://" + bindAddress + ":" + server.port()
                + " (runtime " + node.describe() + ")");
        out.println("export KUBECONFIG=" + server.kubeconfig());
        out.flush();
        stopped.await();
        return 0;
    }
}
