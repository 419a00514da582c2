package io.podvisor.cli.run;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.cli.server.NodeServer;
import io.podvisor.core.Clock;
import io.podvisor.core.FileTrees;
import io.podvisor.core.SystemClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Undoes a run, once, whether it ends normally or by Ctrl-C: deletes the created objects (last
 * first, with a short grace), waits a bounded time for their pods to go, stops the node (whose
 * runtime shutdown removes every container) and removes a temporary data directory.
 */
final class Cleanup {

    /** The grace period the created objects are deleted with. */
    static final long GRACE_SECONDS = 1;

    private final NodeServer server;
    private final SystemClock clock;
    private final Path temporary;
    private Applier applier;
    private boolean done;

    /** @param temporary the data directory to remove afterwards, or null to keep it */
    Cleanup(NodeServer server, SystemClock clock, Path temporary) {
        this.server = server;
        this.clock = clock;
        this.temporary = temporary;
    }

    /** What to delete on cleanup. */
    synchronized void objects(Applier applier) {
        this.applier = applier;
    }

    synchronized void run() {
        if (done) {
            return;
        }
        done = true;
        try {
            if (applier != null) {
                applier.deleteAll(GRACE_SECONDS);
                awaitNoPods(server.registries(), clock, Duration.ofSeconds(GRACE_SECONDS + 3));
            }
        } finally {
            server.close();
            clock.close();
            removeTemporary(temporary);
        }
    }

    /** Waits until no pod is left, or {@code limit} passes. */
    private static void awaitNoPods(ObjectClient client, Clock clock, Duration limit) {
        CompletableFuture<Void> gone = new CompletableFuture<>();
        Clock.Timer timer = clock.schedule(limit, () -> gone.complete(null));
        try (ObjectClient.Subscription s = client.watch(Pod.class, null, (type, pod) -> {
            if (type.equals("DELETED") && client.list(Pod.class, null, null, null).isEmpty()) {
                gone.complete(null);
            }
        })) {
            if (client.list(Pod.class, null, null, null).isEmpty()) {
                gone.complete(null);
            }
            gone.join();
        } finally {
            timer.cancel();
        }
    }

    static void removeTemporary(Path dir) {
        if (dir != null) {
            FileTrees.delete(dir);
        }
    }
}
