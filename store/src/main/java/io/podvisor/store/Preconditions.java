package io.podvisor.store;

/**
 * The write preconditions every {@link Store} checks the same way: the key must exist and, unless
 * the expected revision is {@code 0}, its {@code modRevision} must equal it.
 */
public final class Preconditions {

    private Preconditions() {}

    /**
     * {@code current} when it satisfies the precondition of an update or delete of {@code key}.
     *
     * @param current the entry stored at {@code key}, or null when there is none
     * @throws KeyNotFoundException if {@code current} is null
     * @throws RevisionConflictException if {@code expectedModRevision} is not 0 and differs
     */
    public static Store.Entry existing(String key, Store.Entry current, long expectedModRevision) {
        if (current == null) {
            throw new KeyNotFoundException("key not found: " + key);
        }
        if (expectedModRevision != 0 && expectedModRevision != current.modRevision()) {
            throw new RevisionConflictException("revision conflict on " + key + ": expected "
                    + expectedModRevision + ", found " + current.modRevision());
        }
        return current;
    }
}
