package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.podvisor.runtime.ContainerInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where container logs live (spec 15.1):
 * {@code <podLogsDir>/<namespace>_<podName>_<podUID>/<containerName>/<restartCount>.log}.
 */
final class LogPaths {

    /** A log file the kubelet names after an instance's restart count, rotated ones included ({@code 3.log.1}). */
    private static final Pattern COUNTED_LOG = Pattern.compile("^(\\d+)\\.log(\\..*)?");

    private LogPaths() {}

    /**
     * The restart count of a container's next instance when the runtime holds none of its
     * instances (spec 2.8; upstream's {@code calcRestartCountByLogDir}): one more than the highest
     * {@code N} of the {@code N.log} files left in its log directory, 0 when there are none or logs
     * are off. A runtime that lost every container (a node restart, as a reboot) thus counts on
     * from the instances before it, and the new instance writes a log file of its own.
     */
    static int restartCountFromLogs(KubeletConfig config, ObjectMeta meta, String container) {
        Path dir = podDir(config, meta);
        if (dir == null || !Files.isDirectory(dir.resolve(container))) {
            return 0;
        }
        int next = 0;
        try (Stream<Path> files = Files.list(dir.resolve(container))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = COUNTED_LOG.matcher(f.getFileName().toString());
                if (!Files.isDirectory(f) && m.lookingAt()) {
                    try {
                        next = Math.max(next, Math.addExact(Integer.parseInt(m.group(1)), 1));
                    } catch (NumberFormatException | ArithmeticException e) {
                        // digits no count of the kubelet's can be: not one of its files
                    }
                }
            }
        } catch (IOException e) {
            return 0; // upstream starts from 0 when the directory cannot be read
        }
        return next;
    }

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
