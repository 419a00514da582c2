package io.podvisor.runtime.runc;

import io.podvisor.runtime.Mount;
import io.podvisor.runtime.SandboxConfig;
import io.podvisor.runtime.SandboxInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One sandbox: its directory ({@code hosts}, {@code resolv.conf}, {@code hostname}), its IPC and UTS
 * namespaces (held open by the JVM, or where the JVM cannot make them, files in {@code ns/}, a
 * private bind mount), its network namespace and address, and its pod cgroup. Fields other than
 * {@code ready} are set once while it is set up.
 */
final class RuncSandbox {

    final String id;
    final SandboxConfig config;
    final Path dir;
    final Instant createdAt;
    /** The network namespace file, null for a host-network sandbox (or before it is attached). */
    String netnsPath;
    String ip;
    /** The IPC namespace as a path runc opens. */
    String ipcNsPath;
    /** The UTS namespace as a path runc opens; null for a host-network sandbox, which shares the host's. */
    String utsNsPath;
    /** The descriptors holding the IPC and UTS namespaces; null when files in {@code ns/} keep them. */
    List<Integer> heldNamespaces;
    /** The pod cgroup, null until created. */
    String cgroupPath;
    boolean networkAttached;
    private volatile boolean ready = true;

    RuncSandbox(String id, SandboxConfig config, Path dir, Instant createdAt) {
        this.id = id;
        this.config = config;
        this.dir = dir;
        this.createdAt = createdAt;
    }

    Path nsDir() {
        return dir.resolve("ns");
    }

    Path ipcNs() {
        return nsDir().resolve("ipc");
    }

    /** The UTS namespace file where files keep the namespaces; host-network sandboxes share the host's UTS namespace, as upstream does. */
    Path utsNs() {
        return config.hostNetwork() ? null : nsDir().resolve("uts");
    }

    /** The sandbox's files as its containers mount them. */
    List<Mount> etcFiles() {
        return List.of(new Mount(dir.resolve(PodFiles.HOSTS).toString(), "/etc/hosts", false),
                new Mount(dir.resolve(PodFiles.RESOLV_CONF).toString(), "/etc/resolv.conf", false),
                new Mount(dir.resolve(PodFiles.HOSTNAME).toString(), "/etc/hostname", false));
    }

    boolean ready() {
        return ready;
    }

    void stopped() {
        ready = false;
    }

    SandboxInfo info() {
        return new SandboxInfo(id, ready, ip, createdAt, config.labels(), config.annotations());
    }
}
