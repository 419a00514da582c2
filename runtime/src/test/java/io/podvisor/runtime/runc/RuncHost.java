package io.podvisor.runtime.runc;

import io.podvisor.runtime.linux.Mounts;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.core.Clock;
import io.podvisor.runtime.image.LocalImages;
import io.podvisor.runtime.image.OciImageStore;
import io.podvisor.runtime.image.registry.ImagePuller;
import io.podvisor.runtime.linux.Cgroups;
import io.podvisor.runtime.linux.HostCommand;
import io.podvisor.runtime.testing.BusyboxImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What real runc tests need from the host (root, runc, a static busybox, writable cgroups) and the
 * checks that an instance left nothing behind.
 */
final class RuncHost {

    static final Path RUNC = Path.of("/usr/sbin/runc");

    private RuncHost() {}

    /** Skips the test unless this host can run containers with runc. */
    static void assumeUsable() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Files.isExecutable(RUNC), "needs " + RUNC);
        assumeTrue(BusyboxImage.available(), "needs a static /bin/busybox");
        assumeTrue(HostCommand.onPath("ip") && HostCommand.onPath("unshare"), "needs iproute2 and util-linux");
    }

    /** A unique instance name: a letter, then five hex digits (it is also the network prefix). */
    static String uniqueName() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return "r" + HexFormat.of().formatHex(b).substring(0, 5);
    }

    /** Options for an instance named {@code name} with state and images under {@code dir}. */
    static RuncRuntime.Options options(String name, Path dir, String cidr, Clock clock) {
        OciImageStore store = new OciImageStore(dir.resolve("images"));
        BusyboxImage.install(store, "busybox");
        LocalImages images = new LocalImages(store, new ImagePuller(store, ImagePuller.Options.defaults()));
        return new RuncRuntime.Options(name, dir.resolve("state"), images, cidr, clock, RUNC);
    }

    /** What of instance {@code options} is still on the host: empty when nothing. */
    static List<String> leftovers(RuncRuntime.Options options) throws IOException {
        List<String> found = new ArrayList<>();
        Path root = options.runcRoot();
        if (Files.exists(root)) {
            found.add("runc root " + root);
            var list = HostCommand.run(List.of(RUNC.toString(), "--root", root.toString(), "list", "-q"));
            list.stdout().lines().filter(l -> !l.isBlank()).forEach(l -> found.add("runc container " + l));
        }
        if (Files.exists(root.getParent())) {
            found.add("instance record " + root.getParent());
        }
        Mounts.under(options.stateDir()).forEach(m -> found.add("mount " + m));
        String prefix = options.networkPrefix();
        try (var s = Files.list(Path.of("/run/netns"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix + "-"))
                    .forEach(n -> found.add("netns " + n));
        } catch (IOException e) {
            // no /run/netns: no namespaces
        }
        HostCommand.run(List.of("ip", "-o", "link", "show")).stdout().lines()
                .map(l -> l.split(":")[1].strip().split("@")[0])
                .filter(n -> n.matches(prefix + "[0-9]+")).forEach(n -> found.add("link " + n));
        Cgroups cg = Cgroups.detect(options.name());
        for (String controller : List.of("memory", "cpu", "pids", "")) {
            Path p = Path.of("/sys/fs/cgroup", controller, options.name());
            if (Files.exists(p)) {
                found.add("cgroup " + p + " (" + cg.version() + ")");
            }
        }
        HostCommand.run(List.of("ps", "-eo", "pid,args")).stdout().lines()
                .filter(l -> l.contains(options.stateDir().toString()) || l.contains(root.toString()))
                .forEach(l -> found.add("process " + l.strip()));
        return found;
    }
}
