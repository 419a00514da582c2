package io.podvisor.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A runtime's sandboxes or containers by id, in creation order, with an index of their labels:
 * listing by a label filter ({@link ContainerRuntime#labelsMatch}) looks only at the objects that
 * carry the filter's rarest label instead of at every object, so a node's per-pod listings stay
 * cheap with hundreds of pods. Not thread-safe: the runtimes guard it with their own lock.
 *
 * @param <V> the runtime's record of a sandbox or container (whose labels never change)
 */
public final class LabelledMap<V> {

    private final Map<String, V> byId = new LinkedHashMap<>();
    private final Map<String, Set<String>> idsByLabel = new HashMap<>();
    private final Function<V, Map<String, String>> labelsOf;

    public LabelledMap(Function<V, Map<String, String>> labelsOf) {
        this.labelsOf = labelsOf;
    }

    public V get(String id) {
        return byId.get(id);
    }

    /** Adds or replaces the object with this id; returns the one replaced, if any. */
    public V put(String id, V value) {
        V old = byId.put(id, value);
        Map<String, String> labels = labelsOf.apply(value);
        if (old != null) {
            Map<String, String> oldLabels = labelsOf.apply(old);
            if (oldLabels.equals(labels)) {
                return old;
            }
            unindex(id, oldLabels);
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            idsByLabel.computeIfAbsent(key(e.getKey(), e.getValue()), k -> new LinkedHashSet<>()).add(id);
        }
        return old;
    }

    public V remove(String id) {
        V old = byId.remove(id);
        if (old != null) {
            unindex(id, labelsOf.apply(old));
        }
        return old;
    }

    /** Removes every object {@code test} accepts; true if any was removed. */
    public boolean removeIf(java.util.function.Predicate<? super V> test) {
        List<String> gone = new ArrayList<>();
        byId.forEach((id, v) -> {
            if (test.test(v)) {
                gone.add(id);
            }
        });
        gone.forEach(this::remove);
        return !gone.isEmpty();
    }

    public void clear() {
        byId.clear();
        idsByLabel.clear();
    }

    /** Every object, in creation order (a read-only view). */
    public Collection<V> values() {
        return Collections.unmodifiableCollection(byId.values());
    }

    public Set<String> keySet() {
        return Collections.unmodifiableSet(byId.keySet());
    }

    /** The objects whose labels hold every entry of {@code filter} (all for an empty filter), in creation order. */
    public List<V> select(Map<String, String> filter) {
        if (filter.isEmpty()) {
            return new ArrayList<>(byId.values());
        }
        Set<String> fewest = null;
        for (Map.Entry<String, String> e : filter.entrySet()) {
            Set<String> ids = idsByLabel.get(key(e.getKey(), e.getValue()));
            if (ids == null) {
                return List.of();
            }
            if (fewest == null || ids.size() < fewest.size()) {
                fewest = ids;
            }
        }
        List<V> out = new ArrayList<>(fewest.size());
        for (String id : fewest) {
            V v = byId.get(id);
            if (ContainerRuntime.labelsMatch(labelsOf.apply(v), filter)) {
                out.add(v);
            }
        }
        return out;
    }

    private void unindex(String id, Map<String, String> labels) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String k = key(e.getKey(), e.getValue());
            Set<String> ids = idsByLabel.get(k);
            if (ids != null && ids.remove(id) && ids.isEmpty()) {
                idsByLabel.remove(k);
            }
        }
    }

    private static String key(String name, String value) {
        return name + '\u0000' + value;
    }
}
