package io.podvisor.runtime.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts the regular files of an image archive (a tar, possibly gzipped) into a directory;
 * everything else (links, devices) is ignored and a name leaving the directory is refused. Stateless.
 */
final class ArchiveExtractor {

    private ArchiveExtractor() {}

    /** Extracts {@code archive}'s regular files into the empty directory {@code dir}. */
    static void extract(Path archive, Path dir) throws IOException {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 65536)) {
            file.mark(2);
            int b1 = file.read();
            int b2 = file.read();
            file.reset();
            InputStream in = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(file, 65536) : file;
            TarArchiveInputStream tar = new TarArchiveInputStream(in);
            int entries = 0;
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entries++;
                if (!e.isFile() || e.isLink()) {
                    continue;
                }
                Path target = inside(dir, e.getName());
                Files.createDirectories(target.getParent());
                Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            if (entries == 0) {
                throw new ImageContentException(archive + " is not a tar archive");
            }
        } catch (ImageContentException e) {
            throw e;
        } catch (IOException e) {
            if (e instanceof java.nio.file.FileSystemException) {
                throw e;
            }
            throw new ImageContentException(archive + " is not a readable tar archive: " + e.getMessage(), e);
        }
    }

    /** {@code name} (a path in the archive) under {@code dir}; refused if it leaves it or crosses a symlink. */
    static Path inside(Path dir, String name) throws ImageContentException {
        Path p = dir;
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new ImageContentException("archive path \"" + name + "\" leaves the archive");
            }
            p = p.resolve(part);
            if (Files.isSymbolicLink(p)) {
                throw new ImageContentException("archive path \"" + name + "\" crosses a symbolic link");
            }
        }
        if (p.equals(dir)) {
            throw new ImageContentException("archive path \"" + name + "\" names no file");
        }
        return p;
    }
}
