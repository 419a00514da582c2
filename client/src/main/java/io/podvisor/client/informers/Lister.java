package io.podvisor.client.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * Read-only queries of an informer's cache. Results are in key (namespace/name) order and hold the
 * cached instances themselves, shared with every handler and reader: never modify them.
 *
 * <p>Thread-safety: safe for concurrent use; each call sees one consistent state of the cache.
 */
public interface Lister<T extends HasMetadata> {

    /** The object, or null. {@code namespace} is null or empty for cluster-scoped types. */
    T get(String namespace, String name);

    /** The object with this {@link Indexers#key key}, or null. */
    T getByKey(String key);

    /** Every cached object. */
    List<T> list();

    /** The cached objects of one namespace. */
    List<T> list(String namespace);

    /**
     * The objects whose index function gave {@code value} under {@code indexName}.
     *
     * @throws IllegalArgumentException if no such index was added
     */
    List<T> byIndex(String indexName, String value);

    /** The keys of every cached object. */
    List<String> keys();
}
