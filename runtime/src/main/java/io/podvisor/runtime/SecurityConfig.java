package io.podvisor.runtime;

import java.util.List;

/**
 * The container securityContext fields a runtime enforces. Capability names are as Kubernetes
 * writes them, without the {@code CAP_} prefix ({@code NET_ADMIN}); {@code ALL} means every one.
 *
 * @param runAsUser  null: the image's user (root when the image names none)
 * @param runAsGroup null: the user's primary group (0)
 */
public record SecurityConfig(Long runAsUser, Long runAsGroup, boolean readOnlyRootFilesystem, boolean privileged,
                             List<String> capabilitiesAdd, List<String> capabilitiesDrop) {

    public static final SecurityConfig NONE = new SecurityConfig(null, null, false, false, List.of(), List.of());

    public SecurityConfig {
        capabilitiesAdd = List.copyOf(capabilitiesAdd);
        capabilitiesDrop = List.copyOf(capabilitiesDrop);
    }

    /** The capabilities a non-privileged container gets by default (containerd's and CRI-O's set). */
    public static final List<String> DEFAULT_CAPABILITIES = List.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER",
            "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
            "AUDIT_WRITE");
}
