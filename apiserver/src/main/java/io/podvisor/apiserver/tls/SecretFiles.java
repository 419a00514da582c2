package io.podvisor.apiserver.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files atomically (temporary file, then rename), private ones with mode 0600 from the
 * start so a secret is never readable by others, not even briefly.
 */
public final class SecretFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> PRIVATE_DIR =
            PosixFilePermissions.fromString("rwx------");
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> PRIVATE_FILE =
            PosixFilePermissions.fromString("rw-------");

    private SecretFiles() {}

    /** Writes {@code text} to {@code file} with mode 0600. */
    public static void writePrivate(Path file, String text) throws IOException {
        write(file, text, "rw-------");
    }

    /** Writes {@code text} to {@code file} with mode 0644. */
    public static void writePublic(Path file, String text) throws IOException {
        write(file, text, "rw-r--r--");
    }

    /**
     * Creates the directory {@code dir} (its parent must exist) with mode 0700 whatever the umask;
     * one that exists already is left as it is.
     */
    public static void createPrivateDirectory(Path dir) throws IOException {
        createPrivate(dir, true);
    }

    /** Creates an empty file with mode 0600 whatever the umask; one that exists already is left as it is. */
    public static void createPrivateFile(Path file) throws IOException {
        createPrivate(file, false);
    }

    private static void createPrivate(Path p, boolean directory) throws IOException {
        var mode = directory ? PRIVATE_DIR : PRIVATE_FILE;
        try {
            if (!POSIX) {
                Path ignored = directory ? Files.createDirectory(p) : Files.createFile(p);
                return;
            }
            var attribute = PosixFilePermissions.asFileAttribute(mode);
            Path ignored = directory ? Files.createDirectory(p, attribute) : Files.createFile(p, attribute);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return;
        }
        Files.setPosixFilePermissions(p, mode); // the umask may have taken the owner's bits
    }

    private static void write(Path file, String text, String mode) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            createPrivateDirectory(dir);
        }
        Path tmp = POSIX
                ? Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            if (POSIX) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
