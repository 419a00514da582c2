package io.podvisor.runtime;

/** A runtime operation failed for a reason worth showing to the user (the message is shown). */
public class RuntimeFailure extends Exception {

    public RuntimeFailure(String message) {
        super(message);
    }

    public RuntimeFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
