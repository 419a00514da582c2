package io.podvisor.runtime.runc;

import io.podvisor.runtime.linux.Mounts;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SandboxConfig;
import io.podvisor.runtime.linux.Cgroups;
import io.podvisor.runtime.linux.HostCommand;
import io.podvisor.runtime.linux.Libc;
import io.podvisor.runtime.linux.Namespaces;
import io.podvisor.runtime.net.PodNetworks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Creates and tears down what a sandbox holds on the host: network (unless host network), IPC and UTS
 * namespaces without a process (made by a thread of the JVM and held open by it, {@link Namespaces},
 * or else by {@code unshare --ipc=FILE --uts=FILE hostname NAME} with the files in a private bind
 * mount), the pod's {@code /etc} files and its cgroup.
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
        // the cgroup and the IPC/UTS namespaces are made beside the network, the slowest part
        CompletableFuture<Void> beside = new CompletableFuture<>();
        try {
            Files.createDirectories(sb.dir);
        } catch (IOException e) {
            throw new RuntimeFailure("setting up sandbox " + config.name() + ": " + e.getMessage(), e);
        }
        try {
            startBeside(beside, () -> {
                sb.cgroupPath = cgroups.createPod(config.uid().isEmpty() ? id : config.uid(), config.resources());
                cgroups.warmMoves(); // while the rest is made and the bundle written (see the method)
                namespaces(sb);
            });
            if (config.hostNetwork()) {
                sb.ip = HOST_NETWORK_IP;
            } else {
                PodNetworks.Attachment a = networks.attach(id);
                sb.networkAttached = true;
                sb.netnsPath = a.netnsPath();
                sb.ip = a.ip();
            }
            awaitBeside(beside);
            PodFiles.write(sb.dir, config.hostNetwork() ? null : sb.ip,
                    config.hostNetwork() ? hostHostname() : config.hostname());
            return sb;
        } catch (IOException e) {
            awaitQuietly(beside);
            remove(sb);
            throw new RuntimeFailure("setting up sandbox " + config.name() + ": " + e.getMessage(), e);
        } catch (RuntimeFailure | RuntimeException e) {
            awaitQuietly(beside);
            remove(sb);
            throw e;
        }
    }

    /** Work that may fail as a sandbox's setup does. */
    private interface Step {
        void run() throws IOException, RuntimeFailure;
    }

    /** Runs {@code step} on a virtual thread of its own, completing {@code done} with its outcome. */
    private static void startBeside(CompletableFuture<Void> done, Step step) {
        try {
            Thread.ofVirtual().name("sandbox-setup").start(() -> {
                try {
                    step.run();
                    done.complete(null);
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RuntimeException | Error e) {
            done.completeExceptionally(e);
            throw e;
        }
    }

    /** Waits for the work done beside the network; rethrows its failure. */
    private static void awaitBeside(CompletableFuture<Void> beside) throws IOException, RuntimeFailure {
        try {
            beside.join();
        } catch (CompletionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeFailure f -> throw f;
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** Waits for the work done beside the network to end, however it ends (before a cleanup). */
    private static void awaitQuietly(CompletableFuture<Void> beside) {
        try {
            beside.join();
        } catch (RuntimeException e) {
            // its failure was reported, or the network's is
        }
    }

    private static void namespaces(RuncSandbox sb) throws IOException, RuntimeFailure {
        boolean uts = !sb.config.hostNetwork();
        if (Namespaces.get().isPresent()) {
            try {
                Map<Integer, Integer> held = Namespaces.get().get().create(uts ? Namespaces.IPC | Namespaces.UTS : Namespaces.IPC,
                        Map.of(), sb.config.hostname(), netns -> { });
                synchronized (sb) {
                    sb.heldNamespaces = List.copyOf(held.values());
                }
                sb.ipcNsPath = Namespaces.heldPath(held.get(Namespaces.IPC));
                sb.utsNsPath = uts ? Namespaces.heldPath(held.get(Namespaces.UTS)) : null;
            } catch (IOException e) {
                throw new RuntimeFailure("creating the sandbox's namespaces: " + e.getMessage(), e);
            }
            return;
        }
        Files.createDirectories(sb.nsDir());
        Mounts.bindPrivate(sb.nsDir());
        Files.createFile(sb.ipcNs());
        if (uts) {
            Files.createFile(sb.utsNs());
        }
        sb.ipcNsPath = sb.ipcNs().toString();
        sb.utsNsPath = uts ? sb.utsNs().toString() : null;
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
        synchronized (sb) {
            if (sb.heldNamespaces != null) {
                sb.heldNamespaces.forEach(Libc::close);
                sb.heldNamespaces = List.of();
            } else if (Files.exists(sb.nsDir())) {
                Mounts.unmount(sb.utsNs(), sb.ipcNs(), sb.nsDir());
            }
        }
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
