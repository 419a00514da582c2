package io.podvisor.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a runtime keeps of its sandboxes and containers across its own restarts, as containerd keeps
 * its container records and status checkpoints over a reboot: one small JSON file per object under
 * a directory of the runtime's state ({@code sandboxes/<id>.json}, {@code containers/<id>.json};
 * directories 0700, files 0600), holding ids, labels, annotations and status only, never a
 * container's command or environment.
 *
 * <p>The runtime saves a sandbox when it is made and a container when it is created, started and
 * when it exits; {@link #forgetContainer}/{@link #forgetSandbox} delete a record when the runtime's
 * caller removes the object. Once {@link #close closed} (the runtime shuts down, taking its host
 * objects with it as a reboot does) nothing is saved or deleted any more, so the records say what
 * ran when the node stopped.
 *
 * <p>{@link #recover} loads a previous run's records (after its host objects were swept): as
 * containerd's CRI plugin finds them after a reboot, a container that was running becomes
 * {@link ContainerState#EXITED} with exit code {@value #UNKNOWN_EXIT_CODE} and reason
 * {@value #UNKNOWN_REASON}, finished when it was found so; an exited one keeps its status; every
 * sandbox is not ready. The recovered objects are listed beside the runtime's own
 * ({@link #sandboxes}, {@link #containers}) until removed. A record that cannot be read is deleted.
 *
 * <p>Thread-safe.
 */
public final class InstanceRecords {

    /** The exit code of a container found gone after a restart (containerd's {@code unknownExitCode}). */
    public static final int UNKNOWN_EXIT_CODE = 255;
    /** Its reason (containerd's {@code unknownExitReason}). */
    public static final String UNKNOWN_REASON = "Unknown";

    private static final System.Logger LOG = System.getLogger(InstanceRecords.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUFFIX = ".json";

    private final Path sandboxDir;
    private final Path containerDir;
    private final LabelledMap<SandboxInfo> sandboxes = new LabelledMap<>(SandboxInfo::labels);
    private final LabelledMap<ContainerInfo> containers = new LabelledMap<>(ContainerInfo::labels);
    /** The state last saved of each container of this run, so a late save never moves a record back. */
    private final Map<String, ContainerState> saved = new HashMap<>();
    private boolean closed;

    /** Records under {@code dir} (created 0700 when first written). */
    public InstanceRecords(Path dir) {
        this.sandboxDir = dir.resolve("sandboxes");
        this.containerDir = dir.resolve("containers");
    }

    /** The records as JSON: what a file holds. */
    record SandboxRecord(String id, String ip, String createdAt, Map<String, String> labels,
                         Map<String, String> annotations) {
        static SandboxRecord of(SandboxInfo s) {
            return new SandboxRecord(s.id(), s.ip(), text(s.createdAt()), s.labels(), s.annotations());
        }

        SandboxInfo notReady() {
            return new SandboxInfo(id, false, ip, instant(createdAt), map(labels), map(annotations));
        }
    }

    record ContainerRecord(String id, String sandboxId, String name, int attempt, String image, String imageRef,
                           ContainerState state, String createdAt, String startedAt, String finishedAt, int exitCode,
                           String reason, String message, Map<String, String> labels,
                           Map<String, String> annotations) {
        static ContainerRecord of(ContainerInfo c) {
            return new ContainerRecord(c.id(), c.sandboxId(), c.name(), c.attempt(), c.image(), c.imageRef(), c.state(),
                    text(c.createdAt()), text(c.startedAt()), text(c.finishedAt()), c.exitCode(), c.reason(),
                    c.message(), c.labels(), c.annotations());
        }

        /** The container as found after a restart: one that was running (or starting) ended unknown at {@code now}. */
        ContainerInfo found(Instant now) {
            boolean lost = state == ContainerState.RUNNING || state == ContainerState.UNKNOWN;
            return new ContainerInfo(id, sandboxId, name, attempt, image, imageRef,
                    lost ? ContainerState.EXITED : state, instant(createdAt), instant(startedAt),
                    lost ? now : instant(finishedAt), lost ? UNKNOWN_EXIT_CODE : exitCode,
                    lost ? UNKNOWN_REASON : reason, lost ? null : message, map(labels), map(annotations));
        }
    }

    /**
     * Loads the previous run's records (see the class comment); the changed ones are written back, so
     * a second restart finds the same status.
     */
    public synchronized void recover(Instant now) {
        for (Path f : files(sandboxDir)) {
            SandboxRecord r = read(f, SandboxRecord.class);
            if (r != null) {
                sandboxes.put(r.id(), r.notReady());
            }
        }
        for (Path f : files(containerDir)) {
            ContainerRecord r = read(f, ContainerRecord.class);
            if (r != null) {
                ContainerInfo c = r.found(now);
                containers.put(c.id(), c);
                if (c.state() != r.state()) {
                    write(containerDir, c.id(), ContainerRecord.of(c));
                }
            }
        }
    }

    /** Records a sandbox of this run. */
    public synchronized void save(SandboxInfo s) {
        if (!closed) {
            write(sandboxDir, s.id(), SandboxRecord.of(s));
        }
    }

    /** Records a container's status; a status older than the one recorded (a late save) is ignored. */
    public synchronized void save(ContainerInfo c) {
        ContainerState before = saved.get(c.id());
        if (closed || before != null && order(before) > order(c.state())) {
            return;
        }
        saved.put(c.id(), c.state());
        write(containerDir, c.id(), ContainerRecord.of(c));
    }

    /** Deletes a container's record (its caller removed it). True if it was a recovered container. */
    public synchronized boolean forgetContainer(String id) {
        if (closed) {
            return false;
        }
        saved.remove(id);
        delete(containerDir, id);
        return containers.remove(id) != null;
    }

    /**
     * Deletes a sandbox's record and those of the recovered containers in it (its caller removed it).
     * True if it was a recovered sandbox.
     */
    public synchronized boolean forgetSandbox(String id) {
        if (closed) {
            return false;
        }
        delete(sandboxDir, id);
        for (ContainerInfo c : List.copyOf(containers.values())) {
            if (c.sandboxId().equals(id)) {
                forgetContainer(c.id());
            }
        }
        return sandboxes.remove(id) != null;
    }

    /** From now on nothing is saved or deleted: the records keep what ran until now. */
    public synchronized void close() {
        closed = true;
    }

    /** The recovered sandboxes whose labels hold every entry of {@code filter}. */
    public synchronized List<SandboxInfo> sandboxes(Map<String, String> filter) {
        return sandboxes.select(filter);
    }

    /** The recovered containers whose labels hold every entry of {@code filter}. */
    public synchronized List<ContainerInfo> containers(Map<String, String> filter) {
        return containers.select(filter);
    }

    /** The recovered sandbox {@code id}, or null. */
    public synchronized SandboxInfo sandbox(String id) {
        return sandboxes.get(id);
    }

    /** {@code live} followed by the recovered objects {@code recovered} lists (the runtimes' listing). */
    public static <T> List<T> concat(List<T> live, List<T> recovered) {
        if (recovered.isEmpty()) {
            return live;
        }
        List<T> all = new ArrayList<>(live);
        all.addAll(recovered);
        return all;
    }

    private static int order(ContainerState s) {
        return switch (s) {
            case CREATED -> 0;
            case RUNNING, UNKNOWN -> 1;
            case EXITED -> 2;
        };
    }

    private static List<Path> files(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            s.forEach(out::add);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot read the runtime's records in " + dir + ": " + e);
        }
        return out;
    }

    private static <T> T read(Path f, Class<T> type) {
        try {
            return JSON.readValue(f.toFile(), type);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Dropping the unreadable runtime record " + f + ": " + e);
            io.podvisor.core.FileTrees.delete(f);
            return null;
        }
    }

    /** Writes {@code dir/<id>.json} by rename from a 0600 temporary file. */
    private static void write(Path dir, String id, Object record) {
        Path tmp = dir.resolve(id + SUFFIX + ".tmp");
        try {
            Files.createDirectories(dir.getParent(), PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            Files.deleteIfExists(tmp);
            try (SeekableByteChannel ch = Files.newByteChannel(tmp,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PRIVATE_FILE))) {
                ByteBuffer b = ByteBuffer.wrap(JSON.writeValueAsBytes(record));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            Files.move(tmp, dir.resolve(id + SUFFIX), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // the object works on; only what a restart shows of it is lost
            LOG.log(System.Logger.Level.WARNING, "Cannot write the runtime record " + dir.resolve(id + SUFFIX) + ": " + e);
        }
    }

    private static void delete(Path dir, String id) {
        try {
            Files.deleteIfExists(dir.resolve(id + SUFFIX));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot delete the runtime record " + dir.resolve(id + SUFFIX) + ": " + e);
        }
    }

    private static final Set<java.nio.file.attribute.PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<java.nio.file.attribute.PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Instant instant(String t) {
        return t == null ? null : Instant.parse(t);
    }

    private static Map<String, String> map(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
