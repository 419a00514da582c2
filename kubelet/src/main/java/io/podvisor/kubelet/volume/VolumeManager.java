package io.podvisor.kubelet.volume;

import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.podvisor.api.ClusterClient;
import io.podvisor.kubelet.env.ConfigException;
import io.podvisor.kubelet.env.FieldRefs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sets up and tears down pods' volumes under {@code <rootDir>/pods/<uid>/volumes/<plugin>/<name>}.
 * {@link #setUp} runs at every sync of a live pod (at the latest 1.5 minutes after the last, see
 * {@code PodWorker}) before its containers start: the first pass creates the volumes, later passes
 * refresh the API-data volumes (a changed ConfigMap, Secret, label or annotation shows up in the
 * files, swapped in as a whole: {@link PayloadWriter}). A refresh that fails keeps the previous content and
 * does not block the pod, as upstream's remounts do. Without a root directory nothing is written,
 * but ConfigMaps, Secrets and hostPath types are still checked.
 *
 * <p>Thread-safety: calls for one pod come from its worker; different pods may run concurrently.
 */
public final class VolumeManager {

    private static final System.Logger LOG = System.getLogger(VolumeManager.class.getName());

    public static final String EMPTY_DIR = "kubernetes.io~empty-dir";
    public static final String CONFIG_MAP = "kubernetes.io~configmap";
    public static final String SECRET = "kubernetes.io~secret";
    public static final String DOWNWARD_API = "kubernetes.io~downward-api";
    public static final String PROJECTED = "kubernetes.io~projected";
    /** Under a pod's directory: the copies that {@code subPath} mounts of API-data volumes bind. */
    public static final String SUBPATHS = "volume-subpaths";

    private final Path rootDir;
    private final ClusterClient cluster;
    private final Mounter mounter;
    private final Map<String, Set<String>> setUpOnce = new ConcurrentHashMap<>();
    /** By pod UID: the immutable ConfigMaps and Secrets its volumes read (see {@link Payloads}). */
    private final Map<String, Map<String, HasMetadata>> immutables = new ConcurrentHashMap<>();

    /** @param rootDir the kubelet's root directory; null: volumes are checked but not written */
    public VolumeManager(Path rootDir, ClusterClient cluster, Mounter mounter) {
        this.rootDir = rootDir;
        this.cluster = cluster;
        this.mounter = mounter;
    }

    /** {@code <rootDir>/pods/<uid>}, or null without a root directory. */
    public Path podDir(String uid) {
        return rootDir == null ? null : rootDir.resolve("pods").resolve(uid);
    }

    /**
     * Sets up (or refreshes) every volume of {@code fields.pod()}.
     *
     * @param memoryLimit the pod's memory limit in bytes, or null: bounds a memory-backed emptyDir
     * @param nodeMemory  the node's allocatable memory in bytes: the largest memory-backed emptyDir
     */
    public PodVolumes setUp(FieldRefs fields, Long memoryLimit, long nodeMemory) {
        Pod pod = fields.pod();
        String uid = pod.getMetadata().getUid();
        List<Volume> specVolumes = pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
        if (specVolumes.isEmpty()) {
            return PodVolumes.NONE;
        }
        Set<String> done = setUpOnce.computeIfAbsent(uid, k -> ConcurrentHashMap.newKeySet());
        Payloads payloads = new Payloads(cluster, fields, immutables.computeIfAbsent(uid, k -> new ConcurrentHashMap<>()));
        Map<String, PodVolumes.Volume> out = new LinkedHashMap<>();
        List<VolumeException> failures = new ArrayList<>();
        Set<String> diskBacked = new HashSet<>();
        boolean blocking = false;
        for (Volume v : specVolumes) {
            try {
                PodVolumes.Volume set = setUpOne(v, uid, payloads, emptyDirSize(v.getEmptyDir(), memoryLimit, nodeMemory),
                        diskBacked);
                done.add(v.getName());
                if (set != null) {
                    out.put(v.getName(), set);
                }
            } catch (ConfigException | IOException e) {
                failures.add(new VolumeException(v.getName(), e.getMessage()));
                if (done.contains(v.getName())) {
                    PodVolumes.Volume old = existing(v, uid);
                    if (old != null) {
                        out.put(v.getName(), old);
                    }
                } else {
                    blocking = true;
                }
            }
        }
        Path podDir = podDir(uid);
        return new PodVolumes(out, failures, blocking, diskBacked, podDir == null ? null : podDir.resolve(SUBPATHS));
    }

    private PodVolumes.Volume setUpOne(Volume v, String uid, Payloads payloads, Long tmpfsSize, Set<String> diskBacked)
            throws ConfigException, IOException {
        if (v.getHostPath() != null) {
            HostPathCheck.check(v.getHostPath());
            return new PodVolumes.Volume(Path.of(v.getHostPath().getPath()), false);
        }
        if (v.getEmptyDir() != null) {
            Path dir = dir(uid, EMPTY_DIR, v.getName());
            if (dir != null) {
                emptyDir(dir, v, tmpfsSize, diskBacked);
            }
            return dir == null ? null : new PodVolumes.Volume(dir, false);
        }
        Map<String, FileProjection> payload;
        String plugin;
        if (v.getConfigMap() != null) {
            payload = payloads.configMap(v.getConfigMap());
            plugin = CONFIG_MAP;
        } else if (v.getSecret() != null) {
            payload = payloads.secret(v.getSecret());
            plugin = SECRET;
        } else if (v.getDownwardAPI() != null) {
            payload = payloads.downwardApi(v.getDownwardAPI().getItems(), Payloads.mode(v.getDownwardAPI().getDefaultMode()));
            plugin = DOWNWARD_API;
        } else if (v.getProjected() != null) {
            payload = payloads.projected(v.getProjected());
            plugin = PROJECTED;
        } else {
            return null; // a volume type this node does not provide: nothing to bind
        }
        Path dir = dir(uid, plugin, v.getName());
        if (dir == null) {
            return null;
        }
        PayloadWriter.write(dir, payload);
        return new PodVolumes.Volume(dir, true);
    }

    private void emptyDir(Path dir, Volume v, Long tmpfsSize, Set<String> diskBacked) throws IOException {
        boolean fresh = !Files.isDirectory(dir);
        Files.createDirectories(dir);
        if (fresh) {
            PayloadWriter.setMode(dir, 0777);
        }
        if (!"Memory".equals(v.getEmptyDir().getMedium()) || mounter.mountsUnder(dir).contains(dir.toAbsolutePath().normalize())) {
            return;
        }
        if (!mounter.mountTmpfs(dir, tmpfsSize)) {
            if (diskBacked.add(v.getName())) {
                LOG.log(System.Logger.Level.INFO, "emptyDir " + dir + " with medium Memory is a directory on disk: this process cannot mount");
            }
        } else {
            PayloadWriter.setMode(dir, 0777);
        }
    }

    /**
     * The size of a memory-backed emptyDir as upstream computes it: the smallest of the node's
     * allocatable memory, the pod's memory limit and the volume's {@code sizeLimit} (ignoring zeros).
     */
    static Long emptyDirSize(EmptyDirVolumeSource src, Long podMemoryLimit, long nodeMemory) {
        if (src == null || !"Memory".equals(src.getMedium())) {
            return null;
        }
        long size = nodeMemory;
        if (podMemoryLimit != null && podMemoryLimit > 0 && podMemoryLimit < size) {
            size = podMemoryLimit;
        }
        if (src.getSizeLimit() != null) {
            long limit = io.podvisor.api.validation.Quantities.ceilSaturated(src.getSizeLimit().getNumericalAmount());
            if (limit > 0 && limit < size) {
                size = limit;
            }
        }
        return size > 0 ? size : null;
    }

    private PodVolumes.Volume existing(Volume v, String uid) {
        if (v.getHostPath() != null) {
            return new PodVolumes.Volume(Path.of(v.getHostPath().getPath()), false);
        }
        String plugin = v.getEmptyDir() != null ? EMPTY_DIR : v.getConfigMap() != null ? CONFIG_MAP
                : v.getSecret() != null ? SECRET : v.getDownwardAPI() != null ? DOWNWARD_API : PROJECTED;
        Path dir = dir(uid, plugin, v.getName());
        return dir == null || !Files.isDirectory(dir) ? null : new PodVolumes.Volume(dir, !plugin.equals(EMPTY_DIR));
    }

    private Path dir(String uid, String plugin, String name) {
        Path pod = podDir(uid);
        return pod == null ? null : pod.resolve("volumes").resolve(plugin).resolve(name);
    }

    /**
     * Removes everything of a pod that is finally gone: unmounts its tmpfs volumes, then deletes
     * {@code <rootDir>/pods/<uid>} (left in place while something under it is still mounted).
     */
    public void tearDown(String uid) {
        setUpOnce.remove(uid);
        immutables.remove(uid);
        Path pod = podDir(uid);
        if (pod == null || !Files.exists(pod)) {
            return;
        }
        for (Path m : mounter.mountsUnder(pod)) {
            mounter.unmount(m);
        }
        if (!mounter.mountsUnder(pod).isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "Not removing " + pod + ": still mounted");
            return;
        }
        deleteTree(pod);
    }

    /**
     * Unmounts every volume mount (the memory-backed emptyDirs' tmpfs) of every pod, for a node
     * that stops with its pods: the containers go with the runtime, and their volumes must not stay
     * mounted on the host. The directories stay, for a restart on the same data dir.
     */
    public void unmountAll() {
        if (rootDir == null) {
            return;
        }
        for (Path m : mounter.mountsUnder(rootDir.resolve("pods"))) {
            mounter.unmount(m);
        }
    }

    static void deleteTree(Path p) {
        if (!io.podvisor.core.FileTrees.delete(p)) {
            LOG.log(System.Logger.Level.WARNING, "Cannot remove all of " + p);
        }
    }
}
