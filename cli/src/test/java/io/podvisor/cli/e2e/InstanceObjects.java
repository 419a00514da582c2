package io.podvisor.cli.e2e;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podvisor.runtime.linux.HostCommand;
import io.podvisor.runtime.linux.HostInstances;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What one runtime instance has on the host, found from its registry entry the way an operator
 * would look: its record, runc state and containers, cgroups and the processes in them, mounts
 * under its data, state and runc dirs (the kubelet's tmpfs volumes among them), network
 * namespaces, links, the bridge's route, and a temporary data dir.
 */
final class InstanceObjects {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private InstanceObjects() {}

    /** The registry entry of the instance run by process {@code pid}, if one is recorded. */
    static Optional<HostInstances.Entry> entryOf(long pid) throws IOException {
        Path root = HostInstances.HOST.dir("x").getParent();
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path dir : s.toList()) {
                Path f = dir.resolve("instance.json");
                if (Files.isRegularFile(f)) {
                    HostInstances.Entry e = JSON.readValue(f.toFile(), HostInstances.Entry.class);
                    if (e.pid() == pid) {
                        return Optional.of(e);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The instance's host objects, one line each; empty when nothing of it is left. */
    static List<String> of(HostInstances.Entry e) throws IOException {
        List<String> found = new ArrayList<>();
        Path record = HostInstances.HOST.dir(e.name());
        if (Files.exists(record)) {
            found.add("record " + record);
        }
        Path runcRoot = e.runcRoot() == null ? record.resolve("runc") : Path.of(e.runcRoot());
        if (Files.isDirectory(runcRoot)) {
            try (Stream<Path> s = Files.list(runcRoot)) {
                s.forEach(c -> found.add("runc container " + c.getFileName()));
            }
        }
        for (Path cgroup : cgroups(e.name())) {
            found.add("cgroup " + cgroup);
            found.addAll(processes(cgroup).stream().map(pid -> "process " + pid).toList());
        }
        List<String> roots = new ArrayList<>(List.of(e.stateDir(), runcRoot.toString()));
        if (e.dataDir() != null) {
            roots.add(e.dataDir());
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String target = line.split(" ")[4];
            if (roots.stream().anyMatch(r -> target.equals(r) || target.startsWith(r + "/"))) {
                found.add("mount " + line.split(" ")[8] + " " + target);
            }
        }
        if (e.networkPrefix() != null) {
            found.addAll(network(e));
        }
        if (e.temporaryDataDir() && e.dataDir() != null && Files.exists(Path.of(e.dataDir()))) {
            found.add("data dir " + e.dataDir());
        }
        return found;
    }

    private static List<String> network(HostInstances.Entry e) throws IOException {
        List<String> found = new ArrayList<>();
        for (String line : HostCommand.run(List.of("ip", "netns", "list")).stdout().split("\n")) {
            if (line.startsWith(e.networkPrefix() + "-")) {
                found.add("netns " + line.split("\\s+")[0]);
            }
        }
        for (String line : HostCommand.run(List.of("ip", "-o", "link", "show")).stdout().split("\n")) {
            String[] f = line.split(":\\s+");
            if (f.length > 1 && f[1].split("@")[0].matches(e.networkPrefix() + "[0-9]+")) {
                found.add("link " + f[1].split("@")[0]);
            }
        }
        for (String line : HostCommand.run(List.of("ip", "-4", "route", "show")).stdout().split("\n")) {
            if (line.contains(" dev " + e.networkPrefix() + "0 ") || line.startsWith(e.podCidr() + " ")) {
                found.add("route " + line.strip());
            }
        }
        return found;
    }

    /** The pids in the instance's cgroups, recursively. */
    static List<Long> processes(String name) throws IOException {
        List<Long> pids = new ArrayList<>();
        for (Path cgroup : cgroups(name)) {
            pids.addAll(processes(cgroup));
        }
        return pids.stream().distinct().toList();
    }

    private static List<Path> cgroups(String name) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path controller : s.toList()) {
                Path p = controller.resolve(name);
                if (Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        }
        Path v2 = Path.of("/sys/fs/cgroup", name);
        if (Files.isDirectory(v2) && !out.contains(v2)) {
            out.add(v2);
        }
        return out;
    }

    private static List<Long> processes(Path cgroup) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> s = Files.walk(cgroup)) {
            for (Path procs : s.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
                try {
                    Files.readAllLines(procs).stream().filter(l -> !l.isBlank()).map(Long::parseLong).forEach(pids::add);
                } catch (IOException gone) {
                    // removed while walking
                }
            }
        }
        return pids;
    }
}
