package io.podvisor.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * One container instance as the runtime sees it.
 *
 * @param reason   for {@link ContainerState#EXITED}: {@code Completed} (exit 0), {@code Error},
 *                 {@code OOMKilled} (killed by the kernel's OOM killer), {@code StartError}
 * @param message  a short explanation for a failed start, else null
 * @param exitCode meaningful when exited; 128+n for a death by signal n
 */
public record ContainerInfo(String id, String sandboxId, String name, int attempt, String image,
                            String imageRef, ContainerState state, Instant createdAt,
                            Instant startedAt, Instant finishedAt, int exitCode, String reason,
                            String message, Map<String, String> labels,
                            Map<String, String> annotations) {
    public ContainerInfo {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
