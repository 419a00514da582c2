package io.podvisor.cli.e2e;

import io.podvisor.cli.server.NodeServer;
import io.podvisor.cli.server.Runtimes;
import io.podvisor.core.SystemClock;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.image.OciImageStore;
import io.podvisor.runtime.linux.HostCommand;
import io.podvisor.runtime.linux.HostInstances;
import io.podvisor.runtime.runc.RuncRuntime;
import io.podvisor.runtime.testing.BusyboxImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A real node in this JVM on the runc runtime, under a name and pod CIDR of its own so it never
 * touches another node's cgroups, namespaces or links; and the checks that nothing of it is left
 * on the host.
 */
final class RealNode implements AutoCloseable {

    static final String NODE = "real-node";

    final Path dataDir;
    final String name;
    final String networkPrefix;
    final String podCidr;
    final SystemClock clock = new SystemClock();
    final OciImageStore images;
    final ContainerRuntime runtime;
    final NodeServer server;
    final Kubectl kubectl;

    /** True where the runc runtime can run and the test image can be built. */
    static boolean runcUsable() {
        return Runtimes.runcUnavailableReason().isEmpty() && BusyboxImage.available() && HostCommand.onPath("ip");
    }

    RealNode(Path dataDir, Path home) throws IOException {
        this(dataDir, home, "pvr" + ThreadLocalRandom.current().nextInt(100, 1000),
                "10.199." + ThreadLocalRandom.current().nextInt(0, 256) + ".0/24");
    }

    /**
     * A node as {@code podvisor server} makes one: the instance name of its data dir and the first
     * pod CIDR no other node on the host uses.
     */
    static RealNode withDefaults(Path dataDir, Path home) throws IOException {
        return new RealNode(dataDir, home, null, null);
    }

    private RealNode(Path dataDir, Path home, String name, String cidr) throws IOException {
        this.dataDir = dataDir.toAbsolutePath();
        this.images = new OciImageStore(this.dataDir.resolve("images"));
        try {
            this.runtime = Runtimes.create(new Runtimes.Choice("runc", name, cidr), this.dataDir, clock);
        } catch (RuntimeFailure e) {
            throw new IOException(e);
        }
        RuncRuntime.Options options = ((RuncRuntime) runtime).options();
        this.name = options.name();
        this.networkPrefix = options.networkPrefix();
        this.podCidr = options.podCidr();
        this.server = NodeServer.start(new NodeServer.Options(this.dataDir, 0, "127.0.0.1", NODE, null), clock,
                new VirtualThreadKeyedExecutor(), runtime);
        this.kubectl = new Kubectl(server.kubeconfig(), home);
    }

    /** What pods left while the node runs: pod cgroups, network namespaces, mounts, runc containers. */
    List<String> podLeftovers() throws IOException {
        List<String> left = new ArrayList<>();
        left.addAll(netns());
        left.addAll(mounts());
        left.addAll(podCgroups());
        left.addAll(runcContainers());
        return left;
    }

    /** What the node left after it stopped: everything of {@link #podLeftovers} plus its cgroups and links. */
    List<String> leftovers() throws IOException {
        List<String> left = podLeftovers();
        try (Stream<Path> s = Files.list(Path.of("/sys/fs/cgroup"))) {
            s.map(c -> c.resolve(name)).filter(Files::exists).forEach(p -> left.add("cgroup " + p));
        }
        for (String line : HostCommand.run(List.of("ip", "-o", "link")).stdout().split("\n")) {
            String[] f = line.split(":\\s+");
            if (f.length > 1 && f[1].startsWith(networkPrefix)) {
                left.add("link " + f[1]);
            }
        }
        if (Files.exists(HostInstances.HOST.dir(name))) {
            left.add("instance record " + HostInstances.HOST.dir(name));
        }
        return left;
    }

    private List<String> netns() throws IOException {
        List<String> left = new ArrayList<>();
        for (String line : HostCommand.run(List.of("ip", "netns", "list")).stdout().split("\n")) {
            if (line.startsWith(networkPrefix + "-")) {
                left.add("netns " + line);
            }
        }
        return left;
    }

    private List<String> mounts() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(" " + dataDir + "/") || l.contains(" /run/podvisor/" + name + "/"))
                .map(l -> "mount " + l).toList();
    }

    private List<String> podCgroups() throws IOException {
        Path root = Path.of("/sys/fs/cgroup/memory", name);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().startsWith("pod"))
                    .map(p -> "cgroup " + p).toList();
        }
    }

    private List<String> runcContainers() throws IOException {
        Path root = HostInstances.HOST.dir(name).resolve("runc");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> "runc " + p.getFileName()).toList();
        }
    }

    /** Stops {@code node} (null: never started) and fails the test if it left anything on the host. */
    static void closeLeavingNothing(RealNode node) throws IOException {
        if (node != null) {
            node.close();
            if (!node.leftovers().isEmpty()) {
                throw new AssertionError("host state left after the node stopped: " + node.leftovers());
            }
        }
    }

    @Override
    public void close() {
        server.close();
        clock.close();
    }
}
