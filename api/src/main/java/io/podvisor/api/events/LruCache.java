package io.podvisor.api.events;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that keeps at most {@code capacity} entries, evicting the least recently used (reads count
 * as use). Not thread-safe: the owning {@link EventRecorder} serialises access.
 */
final class LruCache<K, V> {

    private final LinkedHashMap<K, V> map;

    LruCache(int capacity) {
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The value for {@code key}, or null; marks it as recently used. */
    V get(K key) {
        return map.get(key);
    }

    /** Inserts or replaces; may evict the eldest entry. */
    void put(K key, V value) {
        map.put(key, value);
    }

    int size() {
        return map.size();
    }
}
