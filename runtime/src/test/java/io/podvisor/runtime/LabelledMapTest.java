package io.podvisor.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelledMapTest {

    private record Obj(String id, Map<String, String> labels) {}

    private final LabelledMap<Obj> map = new LabelledMap<>(Obj::labels);

    private void add(String id, Map<String, String> labels) {
        map.put(id, new Obj(id, labels));
    }

    private java.util.List<String> ids(Map<String, String> filter) {
        return map.select(filter).stream().map(Obj::id).toList();
    }

    @Test
    void selectsByEveryEntryOfTheFilterInCreationOrder() {
        add("c", Map.of("pod", "b", "name", "web"));
        add("a", Map.of("pod", "a", "name", "web"));
        add("b", Map.of("pod", "a", "name", "log"));
        assertThat(ids(Map.of())).containsExactly("c", "a", "b");
        assertThat(ids(Map.of("pod", "a"))).containsExactly("a", "b");
        assertThat(ids(Map.of("name", "web"))).containsExactly("c", "a");
        assertThat(ids(Map.of("pod", "a", "name", "web"))).containsExactly("a");
        assertThat(ids(Map.of("pod", "a", "name", "db"))).isEmpty();
        assertThat(ids(Map.of("other", "x"))).isEmpty();
    }

    @Test
    void removalsAndReplacementsKeepTheIndexTrue() {
        add("a", Map.of("pod", "a"));
        add("b", Map.of("pod", "a"));
        assertThat(map.remove("a")).isNotNull();
        assertThat(ids(Map.of("pod", "a"))).containsExactly("b");
        add("b", Map.of("pod", "z"));
        assertThat(ids(Map.of("pod", "a"))).isEmpty();
        assertThat(ids(Map.of("pod", "z"))).containsExactly("b");
        add("c", Map.of("pod", "z", "keep", "no"));
        add("d", Map.of("pod", "z", "keep", "yes"));
        assertThat(map.removeIf(o -> o.labels().containsValue("no"))).isTrue();
        assertThat(ids(Map.of("pod", "z"))).containsExactly("b", "d");
        assertThat(map.removeIf(o -> false)).isFalse();
        map.clear();
        assertThat(ids(Map.of())).isEmpty();
        assertThat(ids(Map.of("pod", "z"))).isEmpty();
    }

    @Test
    void replacingWithTheSameLabelsKeepsThePlace() {
        add("a", Map.of("pod", "p"));
        add("b", Map.of("pod", "p"));
        add("a", Map.of("pod", "p"));
        assertThat(ids(Map.of("pod", "p"))).containsExactly("a", "b");
        assertThat(map.get("a")).isNotNull();
        assertThat(map.keySet()).containsExactly("a", "b");
    }
}
