package io.podvisor.runtime.image;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock on a file held across processes ({@link FileChannel#lock()}) and, since a JVM may hold a
 * file's lock only once, across the instances of this JVM that share the file. Thread-safe.
 */
final class StoreLock {

    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path file;

    StoreLock(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    /** An action run under the lock. */
    @FunctionalInterface
    interface Action<T, E extends Exception> {
        T run() throws IOException, E;
    }

    /** Runs {@code action} holding the lock; blocks until it is free. */
    <T, E extends Exception> T locked(Action<T, E> action) throws IOException, E {
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file, f -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = ch.lock()) {
                return action.run();
            }
        } finally {
            local.unlock();
        }
    }
}
