package io.podvisor.cli.server;

import io.podvisor.apiserver.tls.SecretFiles;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The node's data directory made private before anything reads or writes it: the directory is
 * created with mode 0700 (or tightened to it), and a directory, {@code token}, {@code kubeconfig} or
 * {@code pki/} owned by another user or writable by group or others is refused, since whoever
 * controls them controls the node (the API runs privileged and hostPath pods). The store, keys, token
 * and kubeconfig are kept at 0600 whatever the umask.
 *
 * <p>The default directory is {@code /var/lib/podvisor} for root and
 * {@code $XDG_DATA_HOME/podvisor} (else {@code ~/.local/share/podvisor}) for anyone else.
 */
public final class DataDir {

    /** A data directory the node will not use; the message says why. */
    public static final class UnsafeException extends IOException {
        public UnsafeException(String message) {
            super(message);
        }
    }

    /** The files whose owner and mode are checked, relative to the data dir. */
    private static final List<String> GUARDED = List.of("token", "kubeconfig", "pki");
    /** The secrets tightened to 0600 when found looser (written 0600 from the start since). */
    private static final List<String> SECRETS = List.of("token", "kubeconfig", "state.db", "state.db-wal",
            "state.db-shm", "pki/ca.key", "pki/apiserver.key", "pki/sa.key");
    private static final Set<PosixFilePermission> GROUP_OTHER_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

    private DataDir() {}

    /** The data directory used when none is given, for this user. */
    public static Path defaultPath() {
        return defaultPath(currentUid() == 0, System.getenv("XDG_DATA_HOME"), System.getProperty("user.home"));
    }

    static Path defaultPath(boolean root, String xdgDataHome, String home) {
        if (root) {
            return Path.of("/var/lib/podvisor");
        }
        if (xdgDataHome != null && !xdgDataHome.isEmpty() && Path.of(xdgDataHome).isAbsolute()) {
            return Path.of(xdgDataHome, "podvisor");
        }
        return Path.of(home, ".local", "share", "podvisor");
    }

    /**
     * Creates {@code dir} (mode 0700) when missing, checks that it and its credentials are this
     * user's and not writable by anyone else, and tightens what is looser than it should be.
     * Idempotent.
     *
     * @return the absolute path of the directory
     * @throws UnsafeException if the directory or a credential in it is another user's or writable by others
     */
    public static Path prepare(Path dir) throws IOException {
        Path data = dir.toAbsolutePath().normalize();
        if (!POSIX) {
            Files.createDirectories(data);
            return data;
        }
        int uid = currentUid();
        if (!Files.exists(data, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(data)) {
            Path existing = data.getParent();
            while (!Files.exists(existing)) {
                existing = existing.getParent();
            }
            checkAncestors(data, existing.toRealPath(), uid); // nothing is made under a parent others control
            createParents(data.getParent());
            SecretFiles.createPrivateDirectory(data);
        }
        if (!Files.isDirectory(data)) {
            throw new UnsafeException("unsafe data directory " + data + ": not a directory");
        }
        Path real = data.toRealPath();
        check(data, real, uid, true);
        checkAncestors(data, real.getParent(), uid);
        for (String name : GUARDED) {
            Path p = data.resolve(name);
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                check(data, p, uid, false);
            }
        }
        Path pki = data.resolve("pki");
        if (Files.isDirectory(pki, LinkOption.NOFOLLOW_LINKS)) {
            try (var files = Files.list(pki)) {
                for (Path p : files.toList()) {
                    check(data, p, uid, false);
                }
            }
        }
        tighten(data, "rwx------");
        if (Files.isDirectory(pki, LinkOption.NOFOLLOW_LINKS)) {
            tighten(pki, "rwx------");
        }
        for (String name : SECRETS) {
            Path p = data.resolve(name);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                tighten(p, "rw-------");
            }
        }
        return data;
    }

    /** Refuses {@code p} (a symbolic link unless {@code follow}) when another user owns it or others may write it. */
    private static void check(Path data, Path p, int uid, boolean follow) throws IOException {
        LinkOption[] how = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(p, PosixFileAttributes.class, how);
        } catch (NoSuchFileException e) {
            return;
        }
        String what = p.equals(data) || follow ? "" : ": " + p;
        if (a.isSymbolicLink()) {
            throw new UnsafeException("unsafe data directory " + data + what + " is a symbolic link");
        }
        int owner = (Integer) Files.getAttribute(p, "unix:uid", how);
        if (owner != uid) {
            throw new UnsafeException("unsafe data directory " + data + what + " is owned by uid " + owner
                    + ", not by this user (uid " + uid + ")");
        }
        if (a.permissions().stream().anyMatch(GROUP_OTHER_WRITE::contains)) {
            throw new UnsafeException("unsafe data directory " + data + what + " is writable by group or others (mode "
                    + PosixFilePermissions.toString(a.permissions()) + ")");
        }
    }

    /**
     * Refuses a directory whose parents someone else could change: each must belong to this user or
     * root and, unless sticky (as {@code /tmp}), be writable by no one else, or the data directory
     * could be renamed away and replaced between the checks and its use.
     */
    private static void checkAncestors(Path data, Path parent, int uid) throws IOException {
        for (Path p = parent; p != null; p = p.getParent()) {
            int owner = (Integer) Files.getAttribute(p, "unix:uid");
            if (owner != uid && owner != 0) {
                throw new UnsafeException("unsafe data directory " + data + ": its parent " + p + " is owned by uid "
                        + owner + ", neither this user (uid " + uid + ") nor root");
            }
            int mode = (Integer) Files.getAttribute(p, "unix:mode");
            if ((mode & 0022) != 0 && (mode & 01000) == 0) {
                throw new UnsafeException("unsafe data directory " + data + ": its parent " + p
                        + " is writable by group or others (mode " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + ")");
            }
        }
    }

    /** Creates the missing directories of {@code dir}, each 0700 whatever the umask (as XDG asks of its base directories). */
    private static void createParents(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createParents(dir.getParent());
        SecretFiles.createPrivateDirectory(dir);
    }

    private static void tighten(Path p, String mode) throws IOException {
        Set<PosixFilePermission> wanted = PosixFilePermissions.fromString(mode);
        if (!Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).equals(wanted)) {
            Files.setPosixFilePermissions(p, wanted);
        }
    }

    /** This process's effective user id (the owner of {@code /proc/self}). */
    static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return (int) new com.sun.security.auth.module.UnixSystem().getUid();
        }
    }
}
