package io.podvisor.runtime.runc;

import io.podvisor.runtime.linux.Mounts;
import io.podvisor.runtime.linux.Cgroups;
import io.podvisor.runtime.net.PodNetworks;
import java.nio.file.Path;

/**
 * Removes what a runc runtime instance holds on the host, found by its names alone (so it also finds
 * what a crashed previous run left): runc containers in its root, mounts under its state directory,
 * its network namespaces and links, its cgroup hierarchy, and the bundle and sandbox directories.
 */
final class Leftovers {

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
