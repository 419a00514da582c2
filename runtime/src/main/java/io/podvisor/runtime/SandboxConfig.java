package io.podvisor.runtime;

import java.util.Map;

/**
 * What a sandbox needs.
 *
 * @param name        a readable name (unique among live sandboxes is not required)
 * @param hostname    the UTS hostname its containers see
 * @param hostNetwork share the host's network instead of a private namespace
 * @param labels      stored verbatim, used for listing
 * @param annotations stored verbatim
 * @param logDirectory where containers of this sandbox write their logs
 */
public record SandboxConfig(String name, String hostname, boolean hostNetwork,
                            Map<String, String> labels, Map<String, String> annotations,
                            String logDirectory) {
    public SandboxConfig {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
