package io.podvisor.kubelet.volume;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod's volumes after one set-up pass.
 *
 * @param volumes      by volume name: where the volume is on the host (absent: nothing to bind,
 *                     e.g. no root directory, or the volume failed before it was ever set up)
 * @param failures     the volumes that failed this pass
 * @param blocking     true when a failed volume was never set up: the pod's containers must not start
 * @param diskBacked   memory-backed emptyDirs that are plain directories (this process cannot mount)
 * @param subPaths     where {@code subPath} mounts of API-data volumes are copied to
 *                     ({@code <pod>/volume-subpaths}), or null: they are mounted where they are
 */
public record PodVolumes(Map<String, Volume> volumes, List<VolumeException> failures, boolean blocking,
                         Set<String> diskBacked, Path subPaths) {

    public PodVolumes {
        volumes = Map.copyOf(volumes);
        failures = List.copyOf(failures);
        diskBacked = Set.copyOf(diskBacked);
    }

    /** Volumes whose {@code subPath} mounts are mounted where they are. */
    public PodVolumes(Map<String, Volume> volumes, List<VolumeException> failures, boolean blocking, Set<String> diskBacked) {
        this(volumes, failures, blocking, diskBacked, null);
    }

    /** A pod without volumes. */
    public static final PodVolumes NONE = new PodVolumes(Map.of(), List.of(), false, Set.of());

    /**
     * One set-up volume.
     *
     * @param hostPath where it is on the host
     * @param readOnly always mounted read-only (the API-data volumes: configMap, secret, downwardAPI, projected)
     */
    public record Volume(Path hostPath, boolean readOnly) {}
}
