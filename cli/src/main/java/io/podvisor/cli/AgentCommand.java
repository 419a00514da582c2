package io.podvisor.cli;

import ch.qos.logback.classic.Level;
import io.podvisor.cli.logging.NodeLog;
import io.podvisor.cli.logging.VerbosityOption;
import io.podvisor.cli.server.DataDir;
import io.podvisor.cli.server.NodeAgent;
import io.podvisor.cli.server.NodeNames;
import io.podvisor.client.https.Kubeconfig;
import io.podvisor.core.SystemClock;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code podvisor agent}: a kubelet alone, joining the API server a kubeconfig names, in the foreground. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run a kubelet alone that joins the API server the kubeconfig names (another podvisor server, "
                + "or any Kubernetes API server) over HTTPS, in the foreground.")
public final class AgentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--kubeconfig", required = true, description = "The kubeconfig naming the API server to join "
            + "and the credentials to use; its certificate authority also decides which client certificates the "
            + "kubelet endpoint lets in.")
    Path kubeconfig;

    @Option(names = "--data-dir", description = "Where the node keeps its state, pod volumes, logs and the kubelet's "
            + "certificate (default: /var/lib/podvisor as root, else ~/.local/share/podvisor). Created private (0700).")
    Path dataDir;

    @Option(names = "--node-name", description = "This node's name (default: the host name).")
    String nodeName;

    @Option(names = "--address", defaultValue = "127.0.0.1", description = "This node's address: the kubelet endpoint "
            + "listens on it and the Node shows it as its InternalIP (default ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--kubelet-port", defaultValue = "10250",
            description = "The kubelet endpoint's HTTPS port (default ${DEFAULT-VALUE}, as upstream's kubelet; 0 = any free port).")
    int kubeletPort;

    @picocli.CommandLine.Mixin
    NodeRuntimeOptions node;

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
        if (kubeletPort < 0 || kubeletPort > 65535) {
            err.println("podvisor: --kubelet-port must be between 0 and 65535, not " + kubeletPort);
            return 2;
        }
        if (verbosity.problem() != null) {
            err.println("podvisor: " + verbosity.problem());
            return 2;
        }
        Kubeconfig joining;
        try {
            joining = NodeAgent.readKubeconfig(kubeconfig);
        } catch (IOException e) {
            err.println("podvisor: " + e.getMessage());
            return 1;
        }
        Path data = DataDir.prepare(dataDir != null ? dataDir : DataDir.defaultPath());
        NodeLog.configure(data, verbosity.level(), Level.TRACE);
        String name = nodeName != null ? nodeName : NodeNames.hostName();
        SystemClock clock = new SystemClock();
        ContainerRuntime rt;
        try {
            rt = node.create(data, clock, Set.of());
        } catch (RuntimeFailure e) {
            err.println("podvisor: " + e.getMessage());
            clock.close();
            return 1;
        }
        NodeAgent agent;
        try {
            agent = NodeAgent.start(new NodeAgent.Options(data, joining, name, address, kubeletPort, node.maxPods()), clock,
                    new VirtualThreadKeyedExecutor(), rt);
        } catch (IOException | RuntimeException e) {
            rt.shutdown();
            clock.close();
            err.println("podvisor: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            clock.close();
            stopped.countDown();
        }, "podvisor-shutdown"));
        out.println("podvisor: node \"" + name + "\" joined " + kubeconfig + ", kubelet serving https://" + address + ":"
                + agent.kubeletPort() + " (runtime " + node.describe() + ")");
        out.flush();
        stopped.await();
        return 0;
    }
}
