package io.podvisor.kubelet.volume;

import java.nio.file.Path;
import java.util.List;

/**
 * The host mounts the kubelet itself makes: a tmpfs for an emptyDir with {@code medium: Memory}.
 * A JVM cannot mount by itself; {@link HostMounter} runs {@code mount}/{@code umount} as root on
 * Linux, {@link #NONE} mounts nothing (the volume then is a plain directory).
 */
public interface Mounter {

    /** A mounter that cannot mount: memory-backed emptyDirs become directories on disk. */
    Mounter NONE = new Mounter() {
        @Override
        public boolean mountTmpfs(Path dir, Long sizeBytes) {
            return false;
        }

        @Override
        public List<Path> mountsUnder(Path dir) {
            return List.of();
        }

        @Override
        public void unmount(Path dir) {}
    };

    /**
     * Mounts a tmpfs on the existing directory {@code dir}.
     *
     * @param sizeBytes its size limit, or null for the kernel's default
     * @return false when this mounter cannot mount (the caller falls back to the directory)
     * @throws java.io.IOException if mounting was tried and failed
     */
    boolean mountTmpfs(Path dir, Long sizeBytes) throws java.io.IOException;

    /** Mount points at or below {@code dir}, deepest first. */
    List<Path> mountsUnder(Path dir);

    /** Unmounts {@code dir}; failures are left for the next attempt. */
    void unmount(Path dir);
}
