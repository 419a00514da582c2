package io.podvisor.runtime;

import java.time.Instant;
import java.util.Map;

/** A sandbox as the runtime sees it. {@code ip} is null for host-network sandboxes without one. */
public record SandboxInfo(String id, boolean ready, String ip, Instant createdAt,
                          Map<String, String> labels, Map<String, String> annotations) {
    public SandboxInfo {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
