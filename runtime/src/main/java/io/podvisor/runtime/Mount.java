package io.podvisor.runtime;

/**
 * A host path made visible at a path inside a container (a bind mount). Files are bound as files,
 * directories as directories.
 *
 * @param hostPath      an absolute path on the host that exists when the container is created
 * @param containerPath an absolute path inside the container
 * @param readOnly      mounted read-only
 */
public record Mount(String hostPath, String containerPath, boolean readOnly) {}
