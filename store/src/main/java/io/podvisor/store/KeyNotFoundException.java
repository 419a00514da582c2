package io.podvisor.store;

/** Thrown by {@link Store} operations; see the method that names it. */
public final class KeyNotFoundException extends StoreException {
    public KeyNotFoundException(String message) {
        super(message);
    }
}
