package io.podvisor.kubelet.env;

/**
 * A container's configuration cannot be built (a missing ConfigMap, Secret or key, an unsafe
 * {@code subPath}): the container is not created and waits with reason
 * {@code CreateContainerConfigError} and this message, as upstream shows it.
 */
public final class ConfigException extends Exception {

    public ConfigException(String message) {
        super(message);
    }
}
