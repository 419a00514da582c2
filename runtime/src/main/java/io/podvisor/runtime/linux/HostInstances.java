package io.podvisor.runtime.linux;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podvisor.core.FileTrees;
import io.podvisor.runtime.RuntimeFailure;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The runtime instances of this host, live and dead: a directory {@code <root>/<name>/} per instance
 * ({@link #HOST}: {@code /run/podvisor}) holding what it is ({@code instance.json}: its data dir, state
 * dir, runc root, network prefix, pod CIDR, pid) and a {@code lock} file that the instance's process
 * keeps locked for its whole life. The kernel drops the lock when the process dies, however it dies,
 * so a lock that can be taken marks a dead instance whose host objects are leftovers.
 *
 * <p>{@link #claim} is the one way in: it removes every dead instance's leftovers (through the given
 * remover; a record whose objects could not all be removed stays for the next sweep), refuses a name, network prefix or pod CIDR that a live instance already has (or picks the
 * first free CIDR of a list when none was asked for), then records and locks the new instance.
 * Claims, sweeps and releases run one at a time on the host ({@code <root>/.lock}) and in this JVM.
 *
 * <p>Locks are {@link FileChannel#lock() fcntl locks}, which a process loses when it closes any
 * descriptor of the file: this class never opens the lock file of an instance this JVM holds.
 */
public final class HostInstances {

    /** The host's registry. */
    public static final HostInstances HOST = new HostInstances(Path.of("/run/podvisor"));

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String ENTRY = "instance.json";
    private static final String LOCK = "lock";
    /** The instance names held by this JVM, by registry root: their lock files are never opened again. */
    private static final Set<Path> HELD = new HashSet<>();

    /**
     * One instance.
     *
     * @param name          its name (cgroup hierarchy, registry directory)
     * @param kind          the runtime kind, e.g. {@code runc}
     * @param pid           the process that runs it
     * @param dataDir       the node's data dir (mounts under it are the instance's), or null
     * @param temporaryDataDir true when the data dir is the instance's alone and goes with it
     * @param stateDir      the runtime's state directory
     * @param runcRoot      runc's state root, or null
     * @param networkPrefix names its bridge, veths and network namespaces, or null
     * @param podCidr       its pod addresses, or null (none, or to be chosen by {@link #claim})
     */
    public record Entry(String name, String kind, long pid, String dataDir, boolean temporaryDataDir,
                        String stateDir, String runcRoot, String networkPrefix, String podCidr) {

        /** The same entry with {@code cidr} as its pod CIDR. */
        public Entry withPodCidr(String cidr) {
            return new Entry(name, kind, pid, dataDir, temporaryDataDir, stateDir, runcRoot, networkPrefix, cidr);
        }

        /** Where it is described, for messages: its data dir, else its state dir. */
        String where() {
            return dataDir != null ? dataDir : stateDir;
        }
    }

    /**
     * What {@link #claim} needs besides the entry.
     *
     * @param cidrCandidates the pod CIDRs to choose from, in order, when the entry has none (asked for
     *                       once the dead are removed, so their routes are gone)
     * @param overlaps       whether two CIDRs share an address
     * @param removeDead     removes a dead instance's host objects (runs with the registry locked; must not
     *                       throw); false when some are left, so the record stays for the next sweep
     */
    public record Policy(Supplier<List<String>> cidrCandidates, BiPredicate<String, String> overlaps,
                         Predicate<Entry> removeDead) {}

    private final Path root;

    /** A registry under {@code root} (tests use a directory of their own). */
    public HostInstances(Path root) {
        this.root = root;
    }

    /** The directory of instance {@code name}. */
    public Path dir(String name) {
        return root.resolve(name);
    }

    /**
     * Removes the leftovers of dead instances (the previous run of this name among them), then
     * records {@code wanted} as live, held until {@link Claim#close()}.
     *
     * @throws RuntimeFailure if a live instance has the name, the network prefix or an overlapping
     *     pod CIDR, if no candidate CIDR is free, or if the registry cannot be written
     */
    public Claim claim(Entry wanted, Policy policy) throws RuntimeFailure {
        synchronized (HELD) {
            try (FileChannel global = openGlobal(); FileLock ignored = global.lock()) {
                List<Entry> live = sweepLocked(policy.removeDead());
                Entry entry = checked(wanted, live, policy);
                return register(entry);
            } catch (IOException e) {
                throw new RuntimeFailure("cannot record runtime instance " + wanted.name() + " under " + root
                        + ": " + e.getMessage(), e);
            }
        }
    }

    /** Removes the leftovers of every dead instance; returns the live ones. */
    public List<Entry> sweep(Predicate<Entry> removeDead) throws IOException {
        synchronized (HELD) {
            try (FileChannel global = openGlobal(); FileLock ignored = global.lock()) {
                return sweepLocked(removeDead);
            }
        }
    }

    private List<Entry> sweepLocked(Predicate<Entry> removeDead) throws IOException {
        List<Entry> live = new ArrayList<>();
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(Files::isDirectory).toList();
        }
        for (Path dir : dirs) {
            Entry entry = read(dir);
            if (HELD.contains(dir)) {
                if (entry != null) {
                    live.add(entry);
                }
                continue;
            }
            Path lockFile = dir.resolve(LOCK);
            if (!Files.exists(lockFile)) {
                if (entry == null || removeDead.test(entry)) {
                    FileTrees.delete(dir);
                }
                continue;
            }
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    if (entry != null) {
                        live.add(entry);
                    }
                    continue;
                }
                if (entry != null && !removeDead.test(entry)) {
                    continue; // kept (with its lock free) for the next sweep to try again
                }
                Files.deleteIfExists(dir.resolve(ENTRY));
                Files.deleteIfExists(lockFile);
                FileTrees.delete(dir);
            } catch (IOException e) {
                // gone meanwhile or unreadable: neither live nor removable by us
            }
        }
        return live;
    }

    /**
     * Removes what every kind of dead instance may leave: the processes and cgroups under its name,
     * the mounts under its state dir and its node's data dir, and a temporary data dir. Never throws.
     *
     * @return true when none of its mounts is left
     */
    public static boolean removeCommonLeftovers(Entry dead) {
        Cgroups.detect(dead.name()).removeAll();
        Path stateDir = Path.of(dead.stateDir());
        Mounts.unmountAll(stateDir);
        boolean unmounted = Mounts.under(stateDir).isEmpty();
        if (dead.dataDir() != null) {
            Path dataDir = Path.of(dead.dataDir());
            Mounts.unmountAll(dataDir);
            unmounted &= Mounts.under(dataDir).isEmpty();
            if (unmounted && dead.temporaryDataDir() && dataDir.isAbsolute() && dataDir.getNameCount() > 1) {
                FileTrees.delete(dataDir);
            }
        }
        return unmounted;
    }

    private static Entry checked(Entry wanted, List<Entry> live, Policy policy) throws RuntimeFailure {
        for (Entry other : live) {
            if (other.name().equals(wanted.name())) {
                throw new RuntimeFailure("runtime instance " + wanted.name() + " is in use by process " + other.pid()
                        + " (data dir " + other.where() + "); stop that node first");
            }
            if (wanted.networkPrefix() != null && wanted.networkPrefix().equals(other.networkPrefix())) {
                throw new RuntimeFailure("network prefix " + wanted.networkPrefix() + " of runtime instance "
                        + wanted.name() + " is in use by instance " + other.name() + " (process " + other.pid()
                        + ", data dir " + other.where() + ")");
            }
        }
        if (wanted.networkPrefix() == null) {
            return wanted;
        }
        if (wanted.podCidr() != null) {
            for (Entry other : live) {
                if (other.podCidr() != null && policy.overlaps().test(wanted.podCidr(), other.podCidr())) {
                    throw new RuntimeFailure("pod CIDR " + wanted.podCidr() + " overlaps " + other.podCidr()
                            + " of the node running on this host with data dir " + other.where() + " (process "
                            + other.pid() + "); choose another --pod-cidr");
                }
            }
            return wanted;
        }
        List<String> candidates = policy.cidrCandidates().get();
        for (String candidate : candidates) {
            boolean free = live.stream().noneMatch(o -> o.podCidr() != null && policy.overlaps().test(candidate, o.podCidr()));
            if (free) {
                return wanted.withPodCidr(candidate);
            }
        }
        throw new RuntimeFailure("no free pod CIDR for runtime instance " + wanted.name()
                + ": other nodes on this host or the host's routes use every default one; choose one with --pod-cidr");
    }

    private Claim register(Entry entry) throws IOException {
        Path dir = dir(entry.name());
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        FileChannel ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new IOException("the lock of " + dir + " is held by another process");
            }
            Path tmp = dir.resolve(ENTRY + ".tmp");
            Files.write(tmp, JSON.writeValueAsBytes(entry));
            Files.move(tmp, dir.resolve(ENTRY), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            HELD.add(dir);
            return new Claim(entry, dir, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private FileChannel openGlobal() throws IOException {
        Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private static Entry read(Path dir) {
        try {
            return JSON.readValue(dir.resolve(ENTRY).toFile(), Entry.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** A live instance of this JVM; {@link #close()} (after its host objects are gone) unregisters it. */
    public final class Claim implements AutoCloseable {

        private final Entry entry;
        private final Path dir;
        private final FileChannel lock;
        private boolean closed;

        private Claim(Entry entry, Path dir, FileChannel lock) {
            this.entry = entry;
            this.dir = dir;
            this.lock = lock;
        }

        /** The recorded entry (its pod CIDR chosen). */
        public Entry entry() {
            return entry;
        }

        /** Deletes the instance's directory and releases its lock. Idempotent. */
        @Override
        public void close() {
            synchronized (HELD) {
                if (closed) {
                    return;
                }
                closed = true;
                try (FileChannel global = openGlobal(); FileLock ignored = global.lock()) {
                    Files.deleteIfExists(dir.resolve(ENTRY));
                    Files.deleteIfExists(dir.resolve(LOCK));
                    FileTrees.delete(dir);
                } catch (IOException e) {
                    // the next claim finds the directory with no lock held and removes it
                } finally {
                    try {
                        lock.close();
                    } catch (IOException e) {
                        // closing releases the lock in any case
                    }
                    HELD.remove(dir);
                }
            }
        }
    }
}
