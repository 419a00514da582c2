package io.podvisor.client.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * An informer's store: objects by key and, per index, index value → keys. Writers are the owning
 * informer only; every method holds the cache's monitor, so a reader sees one state.
 */
final class Cache<T extends HasMetadata> implements Lister<T> {

    private final Map<String, T> items = new TreeMap<>();
    private final Map<String, Function<? super T, ? extends Collection<String>>> indexers = new LinkedHashMap<>();
    private final Map<String, Map<String, Set<String>>> indices = new HashMap<>();

    Cache() {
        addIndexer(Indexers.NAMESPACE, Indexers::namespace);
    }

    synchronized void addIndexer(String name, Function<? super T, ? extends Collection<String>> function) {
        if (indexers.containsKey(name)) {
            throw new IllegalArgumentException("index " + name + " already exists");
        }
        indexers.put(name, function);
        Map<String, Set<String>> index = new HashMap<>();
        indices.put(name, index);
        items.forEach((key, object) -> add(index, function, key, object));
    }

    synchronized boolean hasIndexer(String name) {
        return indexers.containsKey(name);
    }

    /** Stores {@code object} under {@code key}; returns what it replaced, or null. */
    synchronized T put(String key, T object) {
        T old = items.put(key, object);
        for (Map.Entry<String, Function<? super T, ? extends Collection<String>>> e : indexers.entrySet()) {
            Map<String, Set<String>> index = indices.get(e.getKey());
            if (old != null) {
                remove(index, e.getValue(), key, old);
            }
            add(index, e.getValue(), key, object);
        }
        return old;
    }

    /** Removes the object under {@code key}; returns it, or null if there was none. */
    synchronized T remove(String key) {
        T old = items.remove(key);
        if (old != null) {
            indexers.forEach((name, fn) -> remove(indices.get(name), fn, key, old));
        }
        return old;
    }

    /** A snapshot of key → object. */
    synchronized Map<String, T> snapshot() {
        return new LinkedHashMap<>(items);
    }

    private void add(Map<String, Set<String>> index, Function<? super T, ? extends Collection<String>> fn, String key, T o) {
        for (String value : fn.apply(o)) {
            index.computeIfAbsent(value, v -> new TreeSet<>()).add(key);
        }
    }

    private void remove(Map<String, Set<String>> index, Function<? super T, ? extends Collection<String>> fn, String key,
            T o) {
        for (String value : fn.apply(o)) {
            Set<String> keys = index.get(value);
            if (keys != null && keys.remove(key) && keys.isEmpty()) {
                index.remove(value);
            }
        }
    }

    @Override
    public synchronized T get(String namespace, String name) {
        return items.get(Indexers.key(namespace, name));
    }

    @Override
    public synchronized T getByKey(String key) {
        return items.get(key);
    }

    @Override
    public synchronized List<T> list() {
        return List.copyOf(items.values());
    }

    @Override
    public synchronized List<T> list(String namespace) {
        return byIndex(Indexers.NAMESPACE, namespace);
    }

    @Override
    public synchronized List<T> byIndex(String indexName, String value) {
        Map<String, Set<String>> index = indices.get(indexName);
        if (index == null) {
            throw new IllegalArgumentException("no index named " + indexName);
        }
        Set<String> keys = index.get(value);
        if (keys == null) {
            return List.of();
        }
        List<T> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            out.add(items.get(k));
        }
        return out;
    }

    @Override
    public synchronized List<String> keys() {
        return List.copyOf(items.keySet());
    }
}
