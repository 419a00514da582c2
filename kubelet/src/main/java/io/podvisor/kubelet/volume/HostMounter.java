package io.podvisor.kubelet.volume;

import io.podvisor.runtime.linux.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Mounts with the host's {@code mount} and {@code umount} commands; reads mount points from
 * {@code /proc/self/mountinfo}. Only usable as root on Linux ({@link #available()}).
 */
public final class HostMounter implements Mounter {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /** The host mounter when this process can mount (root on Linux with {@code mount} on the PATH), else {@link #NONE}. */
    public static Mounter forHost() {
        return available() ? new HostMounter() : NONE;
    }

    static boolean available() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return false;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0") && HostCommand.onPath("mount");
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    @Override
    public boolean mountTmpfs(Path dir, Long sizeBytes) throws IOException {
        List<String> argv = new ArrayList<>(List.of("mount", "-t", "tmpfs"));
        if (sizeBytes != null) {
            argv.addAll(List.of("-o", "size=" + sizeBytes));
        }
        argv.addAll(List.of("tmpfs", dir.toString()));
        HostCommand.Result r = HostCommand.run(argv);
        if (!r.ok()) {
            throw new IOException("mount failed: " + r.message());
        }
        return true;
    }

    @Override
    public List<Path> mountsUnder(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(MOUNTINFO)) {
                String[] f = line.split(" ");
                if (f.length > 4) {
                    Path p = Path.of(unescape(f[4]));
                    if (p.startsWith(root)) {
                        out.add(p);
                    }
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        out.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return out;
    }

    @Override
    public void unmount(Path dir) {
        try {
            HostCommand.run(List.of("umount", dir.toString()));
        } catch (IOException e) {
            // retried at the next cleanup
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
