package io.podvisor.kubelet.volume;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A mounter that pretends: records tmpfs mounts and unmounts, and lists what it "mounted". */
public final class RecordingMounter implements Mounter {

    private final List<Path> mounted = new ArrayList<>();
    private final List<String> log = new ArrayList<>();

    @Override
    public synchronized boolean mountTmpfs(Path dir, Long sizeBytes) {
        mounted.add(dir.toAbsolutePath().normalize());
        log.add("mount " + dir.getFileName() + " size=" + sizeBytes);
        return true;
    }

    @Override
    public synchronized List<Path> mountsUnder(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        return mounted.stream().filter(p -> p.startsWith(root))
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
    }

    @Override
    public synchronized void unmount(Path dir) {
        mounted.remove(dir);
        log.add("umount " + dir.getFileName());
    }

    /** {@code "mount <dir name> size=<n>"} and {@code "umount <dir name>"} lines in order. */
    public synchronized List<String> log() {
        return List.copyOf(log);
    }
}
