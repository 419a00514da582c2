package io.podvisor.store;

/** The base of the store's checked-by-convention failures (unchecked so lambdas stay simple). */
public abstract sealed class StoreException extends RuntimeException
        permits KeyExistsException, KeyNotFoundException, RevisionConflictException, RevisionCompactedException {
    protected StoreException(String message) {
        super(message);
    }
}
