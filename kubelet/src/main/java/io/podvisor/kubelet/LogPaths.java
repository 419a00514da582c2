package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.podvisor.runtime.ContainerInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where container logs live (spec 15.1):
 * {@code <podLogsDir>/<namespace>_<podName>_<podUID>/<containerName>/<restartCount>.log}.
 */
final class LogPaths {

    private LogPaths() {}

    /** The pod's log directory, or null when logs are off. */
    static Path podDir(KubeletConfig config, String namespace, String name, String uid) {
        return config.podLogsDir() == null ? null : config.podLogsDir().resolve(namespace + "_" + name + "_" + uid);
    }

    static Path podDir(KubeletConfig config, ObjectMeta meta) {
        return podDir(config, meta.getNamespace(), meta.getName(), meta.getUid());
    }

    /** One instance's log file, or null when logs are off. */
    static Path containerLog(KubeletConfig config, ObjectMeta meta, String container, int attempt) {
        Path dir = podDir(config, meta);
        return dir == null ? null : dir.resolve(container).resolve(attempt + ".log");
    }

    /** The log file of a runtime instance the kubelet created, from its labels; null if unknown. */
    static Path of(KubeletConfig config, ContainerInfo c) {
        Map<String, String> l = c.labels();
        String ns = l.get(Labels.POD_NAMESPACE);
        String name = l.get(Labels.POD_NAME);
        String uid = l.get(Labels.POD_UID);
        String container = l.get(Labels.CONTAINER_NAME);
        Path dir = ns == null || name == null || uid == null || container == null ? null : podDir(config, ns, name, uid);
        return dir == null ? null : dir.resolve(container).resolve(ObservedPod.restartCount(c) + ".log");
    }

    /** Creates the pod's log directory before its sandbox (best effort: the runtime creates files anyway). */
    static void createDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            // the runtime reports the failure when it writes
        }
    }

    /** Deletes a file or a directory tree; missing is fine, failures are ignored (best effort, like GC). */
    static void delete(Path p) {
        io.podvisor.core.FileTrees.delete(p); // best effort, like GC: a stale log file harms nothing
    }
}
