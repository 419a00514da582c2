package io.podvisor.kubelet.staticpod;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.core.Clock;
import io.podvisor.core.Periodic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the static pod manifest directory at start and then every check period on the clock, and
 * tells its listener which pods appeared and which went away (by UID: an edited file is a removal
 * and an addition). Files ending in {@code .yaml}, {@code .yml} or {@code .json} hold one Pod each;
 * hidden files and directories are ignored; a file that cannot be used is logged, listed in
 * {@link #problems()} and skipped (so a pod whose file turned bad is removed).
 *
 * <p>Thread-safety: scans are serialized; listener calls happen inside a scan.
 */
public final class StaticPodSource {

    /** Receives the changes of one scan: removals first, then additions, then {@link #scanned()}. */
    public interface Listener {
        void added(Pod pod);

        void removed(Pod pod);

        /** A scan ended (called after every scan, changed or not). */
        default void scanned() {}
    }

    private static final System.Logger LOG = System.getLogger(StaticPodSource.class.getName());

    private final Path dir;
    private final String nodeName;
    private final Clock clock;
    private final Listener listener;
    private Map<String, Pod> current = new LinkedHashMap<>();
    private List<String> problems = List.of();
    private final Periodic rescans;

    public StaticPodSource(Path dir, String nodeName, Clock clock, Duration period, Listener listener) {
        this.dir = dir;
        this.nodeName = nodeName;
        this.clock = clock;
        this.listener = listener;
        this.rescans = new Periodic(clock, period, this::scan);
    }

    /** Scans once now, then every period. */
    public void start() {
        scan();
        rescans.start();
    }

    public void stop() {
        rescans.stop();
    }

    /** One pass over the directory. */
    public synchronized void scan() {
        Map<String, Pod> found = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path file : manifestFiles(errors)) {
            try {
                Pod pod = StaticPodManifest.decode(Files.readString(file, StandardCharsets.UTF_8), file, nodeName, clock.now());
                String fullName = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
                if (!names.add(fullName)) {
                    throw new IllegalArgumentException("duplicate pod " + fullName);
                }
                String uid = pod.getMetadata().getUid();
                found.put(uid, current.getOrDefault(uid, pod));
            } catch (IOException | RuntimeException e) {
                errors.add(file.getFileName() + ": " + e.getMessage());
                LOG.log(System.Logger.Level.WARNING, "Could not process manifest file " + file + ": " + e.getMessage());
            }
        }
        Map<String, Pod> before = current;
        current = found;
        problems = List.copyOf(errors);
        before.forEach((uid, pod) -> {
            if (!found.containsKey(uid)) {
                listener.removed(pod);
            }
        });
        found.forEach((uid, pod) -> {
            if (!before.containsKey(uid)) {
                listener.added(pod);
            }
        });
        listener.scanned();
    }

    private List<Path> manifestFiles(List<String> errors) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches(".*\\.(yaml|yml|json)"))
                    .sorted().toList();
        } catch (IOException e) {
            errors.add(dir + ": " + e.getMessage());
            LOG.log(System.Logger.Level.WARNING, "Could not read manifest directory " + dir + ": " + e.getMessage());
            return List.of();
        }
    }

    /** The pods of the last scan. */
    public synchronized List<Pod> pods() {
        return List.copyOf(current.values());
    }

    /** The files the last scan skipped, as {@code "<file>: <reason>"}. */
    public synchronized List<String> problems() {
        return problems;
    }
}
