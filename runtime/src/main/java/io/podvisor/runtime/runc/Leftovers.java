package io.podvisor.runtime.runc;

import io.podvisor.runtime.linux.Mounts;
import io.podvisor.runtime.linux.Cgroups;
import io.podvisor.runtime.linux.HostInstances;
import io.podvisor.runtime.net.PodNetworks;
import java.nio.file.Path;

/**
 * Removes what a runc runtime instance holds on the host, found by its names alone (so it also finds
 * what a crashed previous run left): runc containers in its root, mounts under its state directory,
 * its network namespaces and links, its cgroup hierarchy, and the bundle and sandbox directories.
 * {@link #removeDead} does it for a dead instance of any name from its registry entry.
 */
final class Leftovers {

    private static final System.Logger LOG = System.getLogger(Leftovers.class.getName());

    private final Runc runc;
    private final Cgroups cgroups;
    private final PodNetworks networks;
    private final Path stateDir;

    Leftovers(Runc runc, Cgroups cgroups, PodNetworks networks, Path stateDir) {
        this.runc = runc;
        this.cgroups = cgroups;
        this.networks = networks;
        this.stateDir = stateDir;
    }

    /**
     * Everything a dead instance left, as its registry entry describes it: its containers (and so
     * their processes), mounts under its state dir and its node's data dir (the kubelet's tmpfs
     * volumes), network namespaces, veths, bridge (and with it the bridge's route), cgroups, runc
     * state and directories; its data dir too when it was a temporary one. Never throws.
     *
     * @return false when a container or mount of it is still there
     */
    static boolean removeDead(HostInstances.Entry dead, Path runcBinary) {
        try {
            LOG.log(System.Logger.Level.INFO, "Removing the leftovers of dead runtime instance " + dead.name()
                    + " (process " + dead.pid() + ", state " + dead.stateDir() + ")");
            Path stateDir = Path.of(dead.stateDir());
            Runc runc = new Runc(runcBinary, dead.runcRoot() != null ? Path.of(dead.runcRoot())
                    : HostInstances.HOST.dir(dead.name()).resolve("runc"));
            PodNetworks networks = dead.networkPrefix() == null || dead.podCidr() == null ? null
                    : new PodNetworks(dead.networkPrefix(), dead.podCidr(), stateDir.resolve("network"));
            Leftovers leftovers = new Leftovers(runc, Cgroups.detect(dead.name()), networks, stateDir);
            leftovers.removeContainersAndMounts();
            if (networks != null) {
                networks.close();
            }
            leftovers.removeHostState();
            return HostInstances.removeCommonLeftovers(dead) && runc.list().isEmpty();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not remove all that dead runtime instance " + dead.name()
                    + " left: " + e);
            return false;
        }
    }

    /** Everything, the network included. */
    void remove() {
        removeContainersAndMounts();
        networks.removeLeftovers();
        cgroups.removeAll();
        deleteDirs();
    }

    /** Everything but the network (closed by its owner). */
    void removeHostState() {
        removeContainersAndMounts();
        cgroups.removeAll();
        deleteDirs();
        Trees.deleteTree(runc.root());
        try {
            java.nio.file.Files.deleteIfExists(runc.root().getParent());
        } catch (java.io.IOException e) {
            // not empty: something else of this name lives there
        }
    }

    private void removeContainersAndMounts() {
        for (String id : runc.list()) {
            runc.delete(id, true);
        }
        Mounts.unmountAll(stateDir);
    }

    private void deleteDirs() {
        Trees.deleteTree(stateDir.resolve("containers"));
        Trees.deleteTree(stateDir.resolve("sandboxes"));
    }
}
