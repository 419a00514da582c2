package io.podvisor.kubelet;

import io.podvisor.kubelet.logs.CriLogFile;
import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.CriLog;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Termination messages (spec 2.11). Each container instance gets an empty, world-writable file
 * {@code <rootDir>/pods/<uid>/containers/<name>/<restartCount>} mounted at its
 * {@code terminationMessagePath}; once the instance has exited, the last 4096 bytes of that file
 * become {@code state.terminated.message}. With {@code FallbackToLogsOnError}, an empty or missing
 * file and a non-zero exit, the last 80 lines of its log (at most the final 2048 bytes) are used.
 * A message the runtime gave (a failed start) comes first, joined by {@code ": "}. Each exited
 * instance is read once and remembered until its pod is forgotten.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
final class TerminationMessages {

    static final int MAX_FILE_BYTES = 4096;
    static final int MAX_LOG_LINES = 80;
    static final int MAX_LOG_BYTES = 2048;
    static final String FALLBACK_TO_LOGS = "FallbackToLogsOnError";

    private final KubeletConfig config;
    private final Map<String, Map<String, String>> byPod = new ConcurrentHashMap<>();

    TerminationMessages(KubeletConfig config) {
        this.config = config;
    }

    /**
     * Creates (or empties) the file of a new instance.
     *
     * @return its host path, or null without a root directory
     */
    Path create(String podUid, String container, int attempt) throws IOException {
        if (config.rootDir() == null) {
            return null;
        }
        Path file = config.rootDir().resolve("pods").resolve(podUid).resolve("containers").resolve(container)
                .resolve(Integer.toString(attempt));
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[0]);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        return file;
    }

    /** The message of every exited instance among {@code instances}, by container id. */
    Map<String, String> of(String podUid, List<ContainerInfo> instances) {
        Map<String, String> cache = byPod.computeIfAbsent(podUid, k -> new ConcurrentHashMap<>());
        Map<String, String> out = new HashMap<>();
        for (ContainerInfo c : instances) {
            if (c.state() == ContainerState.EXITED) {
                String m = cache.computeIfAbsent(c.id(), id -> message(c, LogPaths.of(config, c)));
                if (!m.isEmpty()) {
                    out.put(c.id(), m);
                }
            }
        }
        cache.keySet().retainAll(instances.stream().map(ContainerInfo::id).toList());
        return out;
    }

    void forget(String podUid) {
        byPod.remove(podUid);
    }

    /** The message of one exited instance: the runtime's message and what the container left. */
    static String message(ContainerInfo c, Path logFile) {
        String policy = c.annotations().getOrDefault(Labels.TERMINATION_MESSAGE_POLICY, "File");
        boolean fallback = FALLBACK_TO_LOGS.equals(policy) && c.exitCode() != 0 && !"ContainerCannotRun".equals(c.reason());
        String file = c.annotations().get(Labels.TERMINATION_MESSAGE_FILE);
        String text = "";
        boolean checkLogs = fallback;
        if (file != null && !file.isEmpty()) {
            try {
                text = tail(Path.of(file), MAX_FILE_BYTES);
                checkLogs = fallback && text.isEmpty();
            } catch (NoSuchFileException e) {
                checkLogs = fallback;
            } catch (IOException e) {
                text = "Error on reading termination log " + file + ": " + e.getMessage();
                checkLogs = false;
            }
        }
        if (checkLogs) {
            text = lastLogLines(logFile);
        }
        String runtime = c.message() == null ? "" : c.message();
        if (text.isEmpty()) {
            return runtime;
        }
        return runtime.isEmpty() ? text : runtime + ": " + text;
    }

    /** The last {@code max} bytes of a file. */
    static String tail(Path file, int max) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, max);
            byte[] buf = new byte[n];
            f.seek(len - n);
            f.readFully(buf);
            return new String(buf, StandardCharsets.UTF_8);
        } catch (java.io.FileNotFoundException e) {
            if (!Files.exists(file)) {
                throw new NoSuchFileException(file.toString());
            }
            throw e;
        }
    }

    /** The last 80 lines of a CRI log, both streams, at most its last 2048 bytes. */
    static String lastLogLines(Path logFile) {
        List<CriLog.Entry> entries;
        try {
            entries = CriLogFile.readFrom(logFile, 0).entries();
        } catch (IOException e) {
            return "Error on reading termination message from logs: " + e.getMessage();
        }
        List<CriLog.Entry> last = entries.subList(Math.max(0, entries.size() - MAX_LOG_LINES), entries.size());
        StringBuilder sb = new StringBuilder();
        for (CriLog.Entry e : last) {
            sb.append(e.text());
            if (!e.partial()) {
                sb.append('\n');
            }
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_LOG_BYTES) {
            return sb.toString();
        }
        return new String(bytes, bytes.length - MAX_LOG_BYTES, MAX_LOG_BYTES, StandardCharsets.UTF_8);
    }
}
