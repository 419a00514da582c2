package io.podvisor.store;

/** Thrown by {@link Store} operations; see the method that names it. */
public final class RevisionConflictException extends StoreException {
    public RevisionConflictException(String message) {
        super(message);
    }
}
