package io.podvisor.runtime;

/** A runtime operation failed for a reason worth showing to the user (the message is shown). */
public class RuntimeFailure extends Exception {

    private final boolean configError;

    public RuntimeFailure(String message) {
        super(message);
        this.configError = false;
    }

    private RuntimeFailure(String message, boolean configError) {
        super(message);
        this.configError = configError;
    }

    /**
     * A container the runtime refuses for what its configuration asks (a volume mount the process
     * runtime cannot give, say): the kubelet shows it as {@code CreateContainerConfigError}.
     */
    public static RuntimeFailure configError(String message) {
        return new RuntimeFailure(message, true);
    }

    /** True for {@link #configError} failures. */
    public boolean isConfigError() {
        return configError;
    }

    public RuntimeFailure(String message, Throwable cause) {
        super(message, cause);
        this.configError = false;
    }
}
