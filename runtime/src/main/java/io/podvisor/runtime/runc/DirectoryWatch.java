package io.podvisor.runtime.runc;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One inotify instance for a runtime's container starts: each start registers its bundle directory
 * and is told of every file created or changed there (runc writing its pid file). A watch service
 * per start would hold an inotify instance and a thread each for as long as the start takes, and a
 * burst of starts then meets the host's limit of instances per user (128 by default), failing
 * starts with "User limit of inotify instances reached".
 *
 * <p>Created on first use (again after {@link #close}); one daemon thread hands the events out.
 * Thread-safe.
 */
final class DirectoryWatch implements AutoCloseable {

    /** A registration; closing it stops the calls (idempotent). */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final Map<WatchKey, Runnable> listeners = new ConcurrentHashMap<>();
    private WatchService service;

    /** Calls {@code onChange} (on the watch's thread) whenever a file is created or changed in {@code dir}. */
    Registration register(Path dir, Runnable onChange) throws IOException {
        WatchKey key = dir.register(service(), StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        listeners.put(key, onChange);
        return () -> {
            if (listeners.remove(key) != null) {
                key.cancel();
            }
        };
    }

    private synchronized WatchService service() throws IOException {
        if (service == null) {
            WatchService ws = FileSystems.getDefault().newWatchService();
            Thread.ofPlatform().daemon().name("runc-start-watch").start(() -> dispatch(ws));
            service = ws;
        }
        return service;
    }

    private void dispatch(WatchService ws) {
        try {
            while (true) {
                WatchKey key = ws.take();
                key.pollEvents();
                key.reset();
                Runnable listener = listeners.get(key);
                if (listener != null) {
                    listener.run();
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed
        }
    }

    @Override
    public synchronized void close() {
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                // already closed
            }
            service = null;
        }
        listeners.clear();
    }
}
