package io.podvisor.runtime.runc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.Mount;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.linux.Cgroups;
import java.util.List;

/**
 * Builds a container's OCI runtime config ({@code config.json}, runtime spec 1.0.2 as runc 1.1 reads
 * it): the resolved process, capabilities, the standard mounts of runc's default spec plus the
 * sandbox's {@code /etc} files and the container's volumes, new PID and mount namespaces, the
 * sandbox's network, IPC and UTS namespaces by path, resources and the cgroup path. Privileged
 * containers get every capability, a writable {@code /sys}, all devices allowed and no masked paths.
 * No seccomp or AppArmor profile is applied.
 */
final class OciSpec {

    static final String VERSION = "1.0.2-dev";
    /** The open-files limit containers get: 1048576, or this process's hard limit if lower (raising it needs CAP_SYS_RESOURCE). */
    static final long NOFILE = Math.min(1_048_576, hardNofile());
    static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the container joins of its sandbox.
     *
     * @param netns      the network namespace file, or null to share the host's
     * @param ipcns      the IPC namespace file
     * @param utsns      the UTS namespace file, or null to share the host's
     * @param etcFiles   the sandbox's {@code hosts}, {@code resolv.conf}, {@code hostname} as bind mounts
     * @param cgroupPath the container's cgroup ({@code <pod cgroup>/<container id>})
     */
    record Sandbox(String netns, String ipcns, String utsns, List<Mount> etcFiles, String cgroupPath) {}

    /**
     * The container's root filesystem as an overlay that runc mounts at {@code /} inside the
     * container's own mount namespace (so the host's mount table does not grow by one entry per
     * container; every {@code runc run} reads that table several times). It goes with the
     * namespace when the container's last process ends.
     *
     * @param lower the image's root filesystem (a path free of {@code :} and {@code ,})
     * @param upper the container's writable layer
     * @param work  overlayfs's work directory, on the same file system as {@code upper}
     */
    record RootLayers(String lower, String upper, String work) {}

    private OciSpec() {}

    /** The hard {@code Max open files} of this process from {@code /proc/self/limits}. */
    static long hardNofile() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[1].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[1]);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: the default stands
        }
        return Long.MAX_VALUE;
    }

    /** The config as JSON text. */
    static String build(ContainerProcess process, ContainerConfig config, Sandbox sandbox, RootLayers layers)
            throws RuntimeFailure {
        var sec = config.security();
        ObjectNode root = JSON.createObjectNode();
        root.put("ociVersion", VERSION);
        root.set("process", process(process, Capabilities.of(sec), config.stdio().tty()));
        root.putObject("root").put("path", "rootfs").put("readonly", sec.readOnlyRootFilesystem());
        ArrayNode mounts = root.putArray("mounts");
        mount(mounts, "/", "overlay", "overlay",
                List.of("lowerdir=" + layers.lower(), "upperdir=" + layers.upper(), "workdir=" + layers.work()));
        standardMounts(mounts, sec.privileged());
        for (Mount m : sandbox.etcFiles()) {
            bind(mounts, m);
        }
        for (Mount m : config.mounts()) {
            if (!m.hostPath().startsWith("/") || !m.containerPath().startsWith("/")) {
                throw RuntimeFailure.configError("mount " + m.hostPath() + " -> " + m.containerPath()
                        + ": paths must be absolute");
            }
            bind(mounts, m);
        }
        root.set("linux", linux(config, sandbox));
        return root.toPrettyString();
    }

    private static ObjectNode process(ContainerProcess p, List<String> caps, boolean terminal) {
        ObjectNode n = JSON.createObjectNode();
        n.put("terminal", terminal);
        n.putObject("user").put("uid", p.uid()).put("gid", p.gid());
        strings(n.putArray("args"), p.args());
        strings(n.putArray("env"), p.env());
        n.put("cwd", p.cwd());
        ObjectNode c = n.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            strings(c.putArray(set), caps);
        }
        n.putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("hard", NOFILE).put("soft", NOFILE);
        n.put("noNewPrivileges", false);
        return n;
    }

    private static void standardMounts(ArrayNode mounts, boolean privileged) {
        mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
        mount(mounts, "/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        mount(mounts, "/dev/pts", "devpts", "devpts",
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        mount(mounts, "/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
        String ro = privileged ? "rw" : "ro";
        mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", ro));
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", ro));
    }

    private static void bind(ArrayNode mounts, Mount m) {
        mount(mounts, m.containerPath(), "bind", m.hostPath(),
                m.readOnly() ? List.of("rbind", "rprivate", "ro") : List.of("rbind", "rprivate"));
    }

    private static void mount(ArrayNode mounts, String dest, String type, String source, List<String> options) {
        ObjectNode m = mounts.addObject();
        m.put("destination", dest).put("type", type).put("source", source);
        strings(m.putArray("options"), options);
    }

    private static ObjectNode linux(ContainerConfig config, Sandbox sandbox) {
        ObjectNode n = JSON.createObjectNode();
        ObjectNode res = n.putObject("resources");
        res.putArray("devices").addObject().put("allow", config.security().privileged()).put("access", "rwm");
        resources(res, config.resources());
        n.put("cgroupsPath", sandbox.cgroupPath());
        ArrayNode ns = n.putArray("namespaces");
        ns.addObject().put("type", "pid");
        ns.addObject().put("type", "mount");
        if (sandbox.netns() != null) {
            ns.addObject().put("type", "network").put("path", sandbox.netns());
        }
        ns.addObject().put("type", "ipc").put("path", sandbox.ipcns());
        if (sandbox.utsns() != null) {
            ns.addObject().put("type", "uts").put("path", sandbox.utsns());
        }
        if (!config.security().privileged()) {
            strings(n.putArray("maskedPaths"), MASKED_PATHS);
            strings(n.putArray("readonlyPaths"), READONLY_PATHS);
        }
        return n;
    }

    private static void resources(ObjectNode res, ContainerConfig.Resources r) {
        if (r == null) {
            return;
        }
        if (r.memoryLimitBytes() != null) {
            res.putObject("memory").put("limit", r.memoryLimitBytes());
        }
        if (r.cpuQuotaMillis() != null || r.cpuSharesMillis() != null) {
            ObjectNode cpu = res.putObject("cpu");
            if (r.cpuSharesMillis() != null) {
                cpu.put("shares", Cgroups.sharesFromMillis(r.cpuSharesMillis()));
            }
            if (r.cpuQuotaMillis() != null) {
                cpu.put("quota", Cgroups.quotaFromMillis(r.cpuQuotaMillis())).put("period", Cgroups.CPU_PERIOD_US);
            }
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
