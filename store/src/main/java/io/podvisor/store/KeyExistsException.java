package io.podvisor.store;

/** Thrown by {@link Store} operations; see the method that names it. */
public final class KeyExistsException extends StoreException {
    public KeyExistsException(String message) {
        super(message);
    }
}
