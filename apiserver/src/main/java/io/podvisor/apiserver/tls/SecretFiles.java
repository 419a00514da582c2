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

    private SecretFiles() {}

    /** Writes {@code text} to {@code file} with mode 0600. */
    public static void writePrivate(Path file, String text) throws IOException {
        write(file, text, "rw-------");
    }

    /** Writes {@code text} to {@code file} with mode 0644. */
    public static void writePublic(Path file, String text) throws IOException {
        write(file, text, "rw-r--r--");
    }

    private static void write(Path file, String text, String mode) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
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
