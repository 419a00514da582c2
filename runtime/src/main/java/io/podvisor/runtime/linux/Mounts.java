package io.podvisor.runtime.linux;

import io.podvisor.runtime.RuntimeFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Host mounts (overlays, private bind mounts holding namespace files) made through
 * the system calls ({@link MountCalls}) or, where those cannot be bound, {@code mount}/{@code umount}
 * child processes, and the reading of
 * {@code /proc/self/mountinfo} to find what is still mounted under a directory.
 *
 * <p>Stateless and thread-safe.
 */
public final class Mounts {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private Mounts() {}

    /** Mounts an overlay of {@code lower} (read-only) with {@code upper}/{@code work} at {@code target}. */
    public static void overlay(Path lower, Path upper, Path work, Path target) throws RuntimeFailure {
        String options = "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
        String what = "mounting the container's root filesystem";
        if (MountCalls.get().isPresent()) {
            check(what, MountCalls.get().get().mount("overlay", target.toString(), "overlay", 0, options));
            return;
        }
        HostCommand.check(what, List.of("mount", "-t", "overlay", "overlay", "-o", options, target.toString()));
    }

    /** Bind-mounts {@code dir} onto itself and makes it private, so namespace files can be bound inside it. */
    public static void bindPrivate(Path dir) throws RuntimeFailure {
        String d = dir.toString();
        if (MountCalls.get().isPresent()) {
            MountCalls calls = MountCalls.get().get();
            check("bind-mounting " + dir, calls.mount(d, d, null, MountCalls.MS_BIND, null));
            check("making " + dir + " private", calls.mount(null, d, null, MountCalls.MS_PRIVATE, null));
            return;
        }
        HostCommand.check("bind-mounting " + dir, List.of("mount", "--bind", d, d));
        HostCommand.check("making " + dir + " private", List.of("mount", "--make-private", d));
    }

    private static void check(String what, String error) throws RuntimeFailure {
        if (error != null) {
            throw new RuntimeFailure(what + ": " + error);
        }
    }

    /**
     * Unmounts {@code targets}, known mount points, in the order given (a busy one is detached
     * lazily); a null or unmounted target is skipped. Cheaper than {@link #unmountAll}, which reads
     * the whole mount table. Never throws.
     */
    public static void unmount(Path... targets) {
        if (MountCalls.get().isEmpty()) {
            for (Path t : targets) {
                if (t != null) {
                    unmountAll(t);
                }
            }
            return;
        }
        MountCalls calls = MountCalls.get().get();
        for (Path t : targets) {
            if (t != null && calls.umount(t.toString(), 0) != null) {
                calls.umount(t.toString(), MountCalls.MNT_DETACH);
            }
        }
    }

    /**
     * Unmounts every mount at or under {@code path}, deepest first (a busy mount is detached lazily).
     * Never throws.
     */
    public static void unmountAll(Path path) {
        for (String target : under(path)) {
            if (MountCalls.get().isPresent()) {
                MountCalls calls = MountCalls.get().get();
                if (calls.umount(target, 0) != null) {
                    calls.umount(target, MountCalls.MNT_DETACH);
                }
                continue;
            }
            try {
                if (!HostCommand.run(List.of("umount", target)).ok()) {
                    HostCommand.run(List.of("umount", "-l", target));
                }
            } catch (IOException e) {
                // left for the next start's leftover sweep
            }
        }
    }

    /** The mount points at or under {@code path}, deepest (and most recent) first. */
    public static List<String> under(Path path) {
        try {
            return under(Files.readString(MOUNTINFO, StandardCharsets.UTF_8), path);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The mount points in {@code mountinfo} text at or under {@code path}, deepest (and most recent) first. */
    static List<String> under(String mountinfo, Path path) {
        String prefix = path.toAbsolutePath().normalize().toString();
        List<String> found = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            if (f.length < 5) {
                continue;
            }
            String target = unescape(f[4]);
            if (target.equals(prefix) || target.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                found.add(target);
            }
        }
        List<String> ordered = new ArrayList<>(found.reversed());
        ordered.sort(Comparator.comparingInt((String s) -> s.split("/").length).reversed());
        return ordered.stream().distinct().toList();
    }

    /**
     * The lower directories of every overlay mount in every mount namespace on the host (a
     * container's root is mounted in its own namespace only), as given when mounting (symlinks not
     * resolved). Each namespace's table is read once, through the first process found in it.
     */
    public static List<String> overlayLowerDirs() {
        List<String> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        readLowerDirs(Path.of("/proc/self"), seen, found);
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path proc : procs) {
                readLowerDirs(proc, seen, found);
            }
        } catch (IOException e) {
            // no /proc to walk: this namespace's table only
        }
        return found;
    }

    private static void readLowerDirs(Path proc, Set<String> seen, List<String> found) {
        try {
            if (seen.add(Files.readSymbolicLink(proc.resolve("ns/mnt")).toString())) {
                found.addAll(overlayLowerDirs(Files.readString(proc.resolve("mountinfo"), StandardCharsets.UTF_8)));
            }
        } catch (IOException | RuntimeException e) {
            // the process ended, or its namespace cannot be read
        }
    }

    /** The lower directories of the overlay mounts in {@code mountinfo} text. */
    static List<String> overlayLowerDirs(String mountinfo) {
        List<String> found = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            int sep = line.indexOf(" - ");
            String[] f = sep < 0 ? new String[0] : line.substring(sep + 3).split(" ");
            if (f.length < 3 || !f[0].equals("overlay")) {
                continue;
            }
            for (String option : f[2].split(",")) {
                if (option.startsWith("lowerdir=")) {
                    for (String dir : unescape(option.substring("lowerdir=".length())).split("(?<!\\\\):")) {
                        found.add(dir.replace("\\:", ":"));
                    }
                }
            }
        }
        return found;
    }

    /** Undoes mountinfo's octal escapes ({@code \040} for a space, and so on). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()
                    && s.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
