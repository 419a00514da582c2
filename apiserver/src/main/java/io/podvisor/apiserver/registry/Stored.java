package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.store.Store;

/**
 * An object as read from the store, with the entry it came from (for preconditions and no-op
 * detection). The object is a fresh copy the holder may modify.
 */
record Stored(HasMetadata object, Store.Entry entry) {

    long revision() {
        return entry.modRevision();
    }
}
