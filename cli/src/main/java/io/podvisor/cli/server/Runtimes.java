package io.podvisor.cli.server;

import io.podvisor.core.Clock;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.fake.FakeRuntime;
import io.podvisor.runtime.image.HostBusybox;
import io.podvisor.runtime.image.LocalImages;
import io.podvisor.runtime.image.OciImageStore;
import io.podvisor.runtime.image.registry.ImagePuller;
import io.podvisor.runtime.linux.Cgroups;
import io.podvisor.runtime.linux.HostCommand;
import io.podvisor.runtime.process.ProcessRuntime;
import io.podvisor.runtime.runc.RuncRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses and builds the node's container runtime: {@code runc} (real containers; Linux, root,
 * runc installed), {@code process} (host processes, anywhere), {@code fake} (scripted, for demos
 * and tests), or {@code auto} = runc when it can run, else process.
 *
 * <p>Data dir layout of the real runtimes: {@code images/} (the image store),
 * {@code runtime/} (bundles, overlay layers, sandbox files, address allocations).
 */
public final class Runtimes {

    private static final System.Logger LOG = System.getLogger(Runtimes.class.getName());

    /** The runtime kinds {@code --runtime} accepts. */
    public static final String KINDS = "auto, runc, process, fake";

    /**
     * What to build.
     *
     * @param kind    one of {@link #KINDS}
     * @param name    the instance name: the cgroup hierarchy, runc's root and the network prefix; null for
     *                the data dir's own ({@link #instanceName})
     * @param podCidr the pod addresses (runc); null for the first /16 from {@code 10.88.0.0/16} on that no
     *                other node on this host uses
     * @param insecureRegistries registries (host[:port]) pulled from over plain HTTP besides loopback ones
     * @param temporaryDataDir true when the data dir lives and dies with this node ({@code podvisor run}):
     *                a later node removes it if this one dies without doing so
     */
    public record Choice(String kind, String name, String podCidr, java.util.Set<String> insecureRegistries,
                         boolean temporaryDataDir) {
        public Choice {
            insecureRegistries = java.util.Set.copyOf(insecureRegistries);
        }

        /** A choice on a lasting data dir. */
        public Choice(String kind, String name, String podCidr, java.util.Set<String> insecureRegistries) {
            this(kind, name, podCidr, insecureRegistries, false);
        }

        /** A choice with no insecure registries (loopback registries are always reached over HTTP). */
        public Choice(String kind, String name, String podCidr) {
            this(kind, name, podCidr, java.util.Set.of());
        }
    }

    private Runtimes() {}

    /** The kind {@code auto} stands for on this machine, with the reason when it is not runc. */
    public static String resolve(String kind) {
        if (!kind.equals("auto")) {
            return kind;
        }
        return runcUnavailableReason().isEmpty() ? "runc" : "process";
    }

    /** Why runc cannot be used here, or empty when it can. */
    public static Optional<String> runcUnavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.of("not Linux");
        }
        if (!isRoot()) {
            return Optional.of("not running as root");
        }
        if (runcBinary().isEmpty()) {
            return Optional.of("runc is not installed");
        }
        return Optional.empty();
    }

    /**
     * Builds and starts the runtime (a real one first removes what a previous run of the same
     * name left on the host).
     *
     * @throws RuntimeFailure if it cannot run here; the message says why
     * @throws IllegalArgumentException for an unknown kind
     */
    public static ContainerRuntime create(Choice choice, Path dataDir, Clock clock) throws RuntimeFailure {
        String kind = resolve(choice.kind());
        String name = choice.name() != null ? choice.name() : instanceName(dataDir);
        return switch (kind) {
            case "fake" -> new FakeRuntime(clock);
            case "process" -> ProcessRuntime.start(new ProcessRuntime.Options(name, dataDir.resolve("runtime"),
                    isRoot() && Cgroups.detect(name).writable(), dataDir, choice.temporaryDataDir()), clock);
            case "runc" -> {
                Optional<String> why = runcUnavailableReason();
                if (why.isPresent()) {
                    throw new RuntimeFailure("the runc runtime cannot run here: " + why.get());
                }
                var store = new OciImageStore(imagesDir(dataDir));
                provideBuiltInImage(store);
                var images = new LocalImages(store, new ImagePuller(store, new ImagePuller.Options(choice.insecureRegistries())));
                yield RuncRuntime.start(new RuncRuntime.Options(name, dataDir.resolve("runtime"), images,
                        choice.podCidr(), clock, runcBinary().get(), dataDir, choice.temporaryDataDir()));
            }
            default -> throw new IllegalArgumentException("unknown runtime \"" + choice.kind() + "\"; available: " + KINDS);
        };
    }

    /**
     * Puts {@value HostBusybox#REFERENCE} into the store when the host has a static busybox, so the
     * examples run on a machine that reaches no registry; a failure only costs that image.
     */
    private static void provideBuiltInImage(OciImageStore store) {
        try {
            HostBusybox.ensure(store);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not build the image " + HostBusybox.REFERENCE
                    + " from " + HostBusybox.BINARY + ": " + e.getMessage());
        }
    }

    /**
     * The runtime instance name of a data dir: {@code pv} and eight base-32 digits of the SHA-256 of
     * its canonical path. Everything the node puts on the host carries it (its first six characters
     * name the network: bridge {@code <pv…>0}, veths, namespaces), so nodes on different data dirs
     * never touch each other's objects, and a node restarted on a data dir finds its own.
     */
    public static String instanceName(Path dataDir) {
        Path canonical;
        try {
            canonical = dataDir.toRealPath();
        } catch (IOException e) {
            canonical = dataDir.toAbsolutePath().normalize();
        }
        byte[] hash;
        try {
            hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder name = new StringBuilder("pv");
        long bits = java.nio.ByteBuffer.wrap(hash).getLong();
        for (int i = 0; i < 8; i++) {
            name.append(alphabet.charAt((int) (bits >>> 59)));
            bits <<= 5;
        }
        return name.toString();
    }

    /** Where a data directory keeps its image store ({@code <data-dir>/images}). */
    public static Path imagesDir(Path dataDir) {
        return dataDir.resolve("images");
    }

    private static boolean isRoot() {
        return HostCommand.runningAsRoot();
    }

    private static Optional<Path> runcBinary() {
        String path = System.getenv("PATH");
        String dirs = (path == null ? "" : path) + ":/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin";
        for (String dir : dirs.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "runc"))) {
                return Optional.of(Path.of(dir, "runc"));
            }
        }
        return Optional.empty();
    }
}
