package io.podvisor.store;

/** Thrown by {@link Store} operations; see the method that names it. */
public final class RevisionCompactedException extends StoreException {
    public RevisionCompactedException(String message) {
        super(message);
    }
}
