package io.podvisor.cli;

import io.podvisor.cli.server.Runtimes;
import io.podvisor.core.Clock;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.RuntimeFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The options of a node's kubelet side that {@code server} and {@code agent} share: runtime, pod CIDR, capacity. */
public final class NodeRuntimeOptions {

    @Option(names = "--runtime", defaultValue = "auto",
            description = "The container runtime: runc (real containers; Linux as root with runc installed), "
                    + "process (host processes), fake (scripted containers), auto (runc when it can run, else process). "
                    + "Default ${DEFAULT-VALUE}.")
    String runtime;

    @Option(names = "--pod-cidr",
            description = "The pod addresses of the runc runtime's bridge (default: 10.88.0.0/16, or the next /16 "
                    + "up to 10.119.0.0/16 that no other node on this host uses).")
    String podCidr;

    @Option(names = "--max-pods", defaultValue = "110",
            description = "How many pods this node takes, its pods capacity (default ${DEFAULT-VALUE}, as upstream's kubelet).")
    int maxPods;

    /** The runtime kind {@code --runtime} stands for here. */
    String kind() {
        return Runtimes.resolve(runtime);
    }

    int maxPods() {
        return maxPods;
    }

    /** What is wrong with the options, or null. */
    String problem() {
        if (!List.of("runc", "process", "fake").contains(kind())) {
            return "unknown runtime \"" + runtime + "\"; available: " + Runtimes.KINDS;
        }
        if (maxPods < 1) {
            return "--max-pods must be at least 1, not " + maxPods;
        }
        return null;
    }

    /** Builds and starts the runtime under the data dir's instance name. */
    ContainerRuntime create(Path dataDir, Clock clock, Set<String> insecureRegistries) throws RuntimeFailure {
        return Runtimes.create(new Runtimes.Choice(kind(), null, podCidr, insecureRegistries), dataDir, clock);
    }

    /** How the first line names the runtime: its kind, and with {@code auto} why it is not runc. */
    String describe() {
        return kind() + (runtime.equals("auto")
                ? Runtimes.runcUnavailableReason().map(why -> ", auto: " + why).orElse(", auto") : "");
    }
}
