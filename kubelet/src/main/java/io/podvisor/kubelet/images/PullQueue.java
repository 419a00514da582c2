package io.podvisor.kubelet.images;

import io.podvisor.core.Clock;
import io.podvisor.runtime.image.ImageInfo;
import io.podvisor.runtime.image.ImageService;
import io.podvisor.runtime.image.PullProgress;
import io.podvisor.runtime.image.RegistryAuth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Hands pulls to the runtime: one at a time in the order asked (the kubelet's
 * {@code serializeImagePulls: true}), or all at once. Never blocks: a pull waiting for its turn
 * starts when the one before it completes, on the thread that completed it.
 */
final class PullQueue {

    /**
     * How a pull ended.
     *
     * @param info     the image, or null when it failed
     * @param error    the runtime's error text, or null
     * @param pulling  how long the pull itself took (not the wait for its turn)
     * @param finished when it ended
     */
    record Outcome(ImageInfo info, String error, Duration pulling, Instant finished) {}

    private record Task(String reference, List<RegistryAuth> auths, boolean ifAbsent, CompletableFuture<Outcome> done) {}

    private final ImageService images;
    private final Clock clock;
    private final boolean serial;
    private final Deque<Task> waiting = new ArrayDeque<>();
    private boolean busy;

    PullQueue(ImageService images, Clock clock, boolean serial) {
        this.images = images;
        this.clock = clock;
        this.serial = serial;
    }

    /**
     * Pulls {@code reference} when its turn comes; the stage completes (normally) with the outcome.
     *
     * @param ifAbsent skip the pull when the image is present by then (a pod's {@code IfNotPresent}
     *                 pull queued behind another pod's pull of the same image)
     */
    CompletionStage<Outcome> submit(String reference, List<RegistryAuth> auths, boolean ifAbsent) {
        Task task = new Task(reference, List.copyOf(auths), ifAbsent, new CompletableFuture<>());
        boolean now;
        synchronized (this) {
            now = !serial || !busy;
            if (now) {
                busy = true;
            } else {
                waiting.add(task);
            }
        }
        if (now) {
            run(task);
        }
        return task.done();
    }

    private void run(Task task) {
        Instant began = clock.now();
        CompletionStage<ImageInfo> pull;
        try {
            java.util.Optional<ImageInfo> present = task.ifAbsent() ? images.status(task.reference()) : java.util.Optional.empty();
            pull = present.isPresent() ? CompletableFuture.completedFuture(present.get())
                    : images.pull(task.reference(), task.auths(), PullProgress.NONE);
        } catch (RuntimeException e) {
            pull = CompletableFuture.failedFuture(e);
        }
        pull.whenComplete((info, error) -> {
            Instant end = clock.now();
            task.done().complete(new Outcome(error == null ? info : null, error == null ? null : message(error),
                    Duration.between(began, end), end));
            next();
        });
    }

    private void next() {
        Task next;
        synchronized (this) {
            next = serial ? waiting.poll() : null;
            if (next == null) {
                busy = false;
            }
        }
        if (next != null) {
            run(next);
        }
    }

    private static String message(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
