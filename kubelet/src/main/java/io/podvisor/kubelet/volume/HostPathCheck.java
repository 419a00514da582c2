package io.podvisor.kubelet.volume;

import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.podvisor.kubelet.env.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A hostPath volume's {@code type} check, as upstream does it: {@code DirectoryOrCreate} and
 * {@code FileOrCreate} create what is missing (mode 0755 / 0644; a file's parent must exist),
 * {@code Directory}, {@code File}, {@code Socket}, {@code CharDevice} and {@code BlockDevice}
 * require it. An empty type checks nothing; a missing path is then created as a directory, as
 * containerd does before binding it.
 */
final class HostPathCheck {

    private HostPathCheck() {}

    static void check(HostPathVolumeSource src) throws ConfigException {
        String type = src.getType() == null ? "" : src.getType();
        Path p = Path.of(src.getPath());
        String path = src.getPath();
        try {
            switch (type) {
                case "" -> {
                    if (!Files.exists(p)) {
                        makeDir(p);
                    }
                }
                case "DirectoryOrCreate", "Directory" -> {
                    if (type.equals("DirectoryOrCreate") && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                        makeDir(p);
                    } else if (!Files.isDirectory(p)) {
                        throw new ConfigException("hostPath type check failed: " + path + " is not a directory");
                    }
                }
                case "FileOrCreate", "File" -> {
                    if (type.equals("FileOrCreate") && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                        try {
                            Files.createFile(p);
                        } catch (java.nio.file.NoSuchFileException e) {
                            throw new ConfigException("open " + path + ": no such file or directory");
                        }
                        PayloadWriter.setMode(p, 0644);
                    } else if (!Files.isRegularFile(p)) {
                        throw new ConfigException("hostPath type check failed: " + path + " is not a file");
                    }
                }
                case "Socket" -> requireKind(p, path, "socket", "is not a socket file");
                case "CharDevice" -> requireKind(p, path, "character", "is not a character device");
                case "BlockDevice" -> requireKind(p, path, "block", "is not a block device");
                default -> throw new ConfigException(type + " is an invalid volume type");
            }
        } catch (IOException e) {
            throw new ConfigException(e.toString());
        }
    }

    private static void makeDir(Path p) throws IOException {
        Files.createDirectories(p);
        PayloadWriter.setMode(p, 0755);
    }

    /** Files of a special kind: the JDK tells only "other", so the kind comes from the {@code unix:mode} bits. */
    private static void requireKind(Path p, String path, String kind, String message) throws ConfigException, IOException {
        if (!Files.exists(p) || !fileKind(p).equals(kind)) {
            throw new ConfigException("hostPath type check failed: " + path + " " + message);
        }
    }

    private static String fileKind(Path p) throws IOException {
        Object mode = Files.getAttribute(p, "unix:mode");
        int m = mode instanceof Integer i ? i : 0;
        return switch (m & 0170000) {
            case 0140000 -> "socket";
            case 0020000 -> "character";
            case 0060000 -> "block";
            default -> "other";
        };
    }
}
