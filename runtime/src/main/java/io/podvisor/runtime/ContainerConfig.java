package io.podvisor.runtime;

import java.util.List;
import java.util.Map;

/**
 * What a container needs. {@code command} and {@code args} are already resolved against the image
 * (the runtime runs {@code command + args}); {@code env} is ordered.
 *
 * @param name       the container's name within its sandbox
 * @param attempt    how many instances of this name existed before (0 for the first)
 * @param image      the image reference as the user wrote it
 * @param logPath    the absolute file its stdout/stderr go to ({@link CriLog} format); empty: no log
 * @param resources  limits to enforce (nulls = none)
 */
public record ContainerConfig(String name, int attempt, String image,
                              List<String> command, List<String> args, Map<String, String> env,
                              String workingDir, String logPath, Resources resources,
                              Map<String, String> labels, Map<String, String> annotations) {

    public ContainerConfig {
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = Map.copyOf(env);
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    /** Resource settings in runtime units. Null fields are not enforced. */
    public record Resources(Long memoryLimitBytes, Long cpuQuotaMillis, Long cpuSharesMillis) {
        public static final Resources NONE = new Resources(null, null, null);
    }
}
