package io.podvisor.kubelet.volume;

import io.podvisor.runtime.linux.HostCommand;
import io.podvisor.runtime.linux.Mounts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mounts with the host's {@code mount} and {@code umount} commands; reads mount points from
 * {@code /proc/self/mountinfo}. Only usable as root on Linux ({@link #available()}).
 */
public final class HostMounter implements Mounter {

    /** The host mounter when this process can mount (root on Linux with {@code mount} on the PATH), else {@link #NONE}. */
    public static Mounter forHost() {
        return available() ? new HostMounter() : NONE;
    }

    static boolean available() {
        return HostCommand.runningAsRoot() && HostCommand.onPath("mount");
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
        return Mounts.under(dir).stream().map(Path::of).toList();
    }

    @Override
    public void unmount(Path dir) {
        try {
            HostCommand.run(List.of("umount", dir.toString()));
        } catch (IOException e) {
            // retried at the next cleanup
        }
    }
}
