package io.podvisor.runtime.runc;

import io.podvisor.runtime.linux.Mounts;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SandboxConfig;
import io.podvisor.runtime.linux.Cgroups;
import io.podvisor.runtime.linux.HostCommand;
import io.podvisor.runtime.linux.Namespaces;
import io.podvisor.runtime.net.PodNetworks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Creates and tears down what a sandbox holds on the host: network (unless host network), IPC and UTS
 * namespaces without a process (made by a thread of the JVM, {@link Namespaces}, or else by
 * {@code unshare --ipc=FILE --uts=FILE hostname NAME}; the files bound in a private bind mount), the pod's {@code /etc} files and its cgroup.
 *
 * <p>Thread-safe (sandboxes do not share state here).
 */
final class SandboxSetup {

    /** The address a host-network sandbox reports. */
    static final String HOST_NETWORK_IP = "127.0.0.1";

    private final Path sandboxesDir;
    private final Cgroups cgroups;
    private final PodNetworks networks;

    SandboxSetup(Path sandboxesDir, Cgroups cgroups, PodNetworks networks) {
        this.sandboxesDir = sandboxesDir;
        this.cgroups = cgroups;
        this.networks = networks;
    }

    /** Sets a new sandbox up; on failure nothing of it remains. */
    RuncSandbox create(String id, SandboxConfig config, Instant now) throws RuntimeFailure {
        RuncSandbox sb = new RuncSandbox(id, config, sandboxesDir.resolve(id), now);
        try {
            Files.createDirectories(sb.nsDir());
            Mounts.bindPrivate(sb.nsDir());
            namespaces(sb);
            if (config.hostNetwork()) {
                sb.ip = HOST_NETWORK_IP;
            } else {
                PodNetworks.Attachment a = networks.attach(id);
                sb.networkAttached = true;
                sb.netnsPath = a.netnsPath();
                sb.ip = a.ip();
            }
            PodFiles.write(sb.dir, config.hostNetwork() ? null : sb.ip,
                    config.hostNetwork() ? hostHostname() : config.hostname());
            sb.cgroupPath = cgroups.createPod(config.uid().isEmpty() ? id : config.uid(), config.resources());
            return sb;
        } catch (IOException e) {
            remove(sb);
            throw new RuntimeFailure("setting up sandbox " + config.name() + ": " + e.getMessage(), e);
        } catch (RuntimeFailure | RuntimeException e) {
            remove(sb);
            throw e;
        }
    }

    private static void namespaces(RuncSandbox sb) throws IOException, RuntimeFailure {
        Files.createFile(sb.ipcNs());
        if (sb.utsNs() != null) {
            Files.createFile(sb.utsNs());
        }
        if (Namespaces.get().isPresent()) {
            Map<Integer, Path> keep = sb.utsNs() == null ? Map.of(Namespaces.IPC, sb.ipcNs())
                    : Map.of(Namespaces.IPC, sb.ipcNs(), Namespaces.UTS, sb.utsNs());
            try {
                Namespaces.get().get().create(sb.utsNs() == null ? Namespaces.IPC : Namespaces.IPC | Namespaces.UTS, keep,
                        sb.config.hostname(), netns -> { });
            } catch (IOException e) {
                throw new RuntimeFailure("creating the sandbox's namespaces: " + e.getMessage(), e);
            }
            return;
        }
        List<String> argv = new ArrayList<>(List.of("unshare", "--ipc=" + sb.ipcNs()));
        if (sb.utsNs() != null) {
            argv.add("--uts=" + sb.utsNs());
            argv.addAll(List.of("hostname", sb.config.hostname()));
        } else {
            argv.add("true");
        }
        HostCommand.check("creating the sandbox's namespaces", argv);
    }

    /** Tears the network down (the namespaces and files stay until {@link #remove}). Idempotent. */
    void stop(RuncSandbox sb) {
        synchronized (sb) {
            if (sb.networkAttached) {
                networks.detach(sb.id);
                sb.networkAttached = false;
            }
        }
    }

    /** Removes everything of the sandbox: network, namespace mounts, cgroup, directory. Idempotent. */
    void remove(RuncSandbox sb) {
        stop(sb);
        Mounts.unmount(sb.utsNs(), sb.ipcNs(), sb.nsDir());
        if (sb.cgroupPath != null) {
            cgroups.remove(sb.cgroupPath);
        }
        Trees.deleteTree(sb.dir);
    }

    private static String hostHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
