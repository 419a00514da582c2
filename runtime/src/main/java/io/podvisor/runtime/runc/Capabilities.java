package io.podvisor.runtime.runc;

import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SecurityConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A container's capability set from its securityContext, as containerd computes it: the default set;
 * {@code ALL} in {@code add} means every capability, {@code ALL} in {@code drop} means none; then the
 * other added names are added and the other dropped names removed. Privileged containers get all.
 */
final class Capabilities {

    /** Every capability of Linux 5.9+ ({@code CAP_CHOWN} … {@code CAP_CHECKPOINT_RESTORE}), in number order. */
    static final List<String> ALL = List.of("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
            "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",
            "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
            "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE",
            "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
            "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE");

    private Capabilities() {}

    /**
     * The capability names with the {@code CAP_} prefix, as the OCI config takes them.
     *
     * @throws RuntimeFailure for a name that is no capability
     */
    static List<String> of(SecurityConfig security) throws RuntimeFailure {
        if (security.privileged()) {
            return prefixed(ALL);
        }
        Set<String> caps = new LinkedHashSet<>(SecurityConfig.DEFAULT_CAPABILITIES);
        List<String> add = normalize(security.capabilitiesAdd());
        List<String> drop = normalize(security.capabilitiesDrop());
        if (add.contains("ALL")) {
            caps.addAll(ALL);
        }
        if (drop.contains("ALL")) {
            caps.clear();
        }
        add.stream().filter(c -> !c.equals("ALL")).forEach(caps::add);
        drop.forEach(caps::remove);
        return prefixed(List.copyOf(caps));
    }

    private static List<String> normalize(List<String> names) throws RuntimeFailure {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String up = n.toUpperCase(Locale.ROOT);
            up = up.startsWith("CAP_") ? up.substring(4) : up;
            if (!up.equals("ALL") && !ALL.contains(up)) {
                throw new RuntimeFailure("unknown capability \"" + n + "\"");
            }
            out.add(up);
        }
        return out;
    }

    private static List<String> prefixed(List<String> names) {
        return names.stream().map(n -> "CAP_" + n).toList();
    }
}
