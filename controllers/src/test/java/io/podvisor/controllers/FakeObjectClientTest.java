package io.podvisor.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.Yaml;
import io.podvisor.api.errors.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FakeObjectClientTest {

    @ParameterizedTest(name = "{0} on app=web,tier=front -> {1}")
    @CsvSource(delimiter = '|', value = {
            "app=web                  | true",
            "app==web                 | true",
            "app=db                   | false",
            "app!=db                  | true",
            "app=web,tier!=front      | false",
            "tier in (back, front)    | true",
            "tier in (back),app=web   | false",
            "tier notin (back)        | true",
            "app                      | true",
            "!app                     | false",
            "!zone                    | true",
            "''                       | true",
    })
    void labelSelectors(String selector, boolean matches) {
        assertThat(LabelSelectorMatcher.parse(selector).test(Map.of("app", "web", "tier", "front"))).isEqualTo(matches);
    }

    @Test
    void selectorsPreconditionsAndWatchOrder() {
        TestCluster c = new TestCluster();
        List<String> seen = new ArrayList<>();
        c.api.watch(Pod.class, "default", (type, pod) -> seen.add(type + " " + pod.getMetadata().getName()));
        Pod a = c.api.create(Yaml.read("{apiVersion: v1, kind: Pod, metadata: {name: a, labels: {app: web}},"
                + " spec: {containers: [{name: c, image: x}]}}", Pod.class));
        c.api.create(Yaml.read("{apiVersion: v1, kind: Pod, metadata: {name: b, labels: {app: db}},"
                + " spec: {containers: [{name: c, image: x}]}}", Pod.class));
        c.api.bind("default", "a", "node-1");
        assertThat(seen).as("delivered through the executor").isEmpty();
        c.settle();
        assertThat(seen).containsExactly("ADDED a", "ADDED b", "MODIFIED a");

        assertThat(c.api.list(Pod.class, null, "app in (web,db)", "spec.nodeName=node-1"))
                .extracting(p -> p.getMetadata().getName()).containsExactly("a");
        assertThat(c.api.list(Pod.class, null, null, "status.phase=Pending,metadata.name!=a"))
                .extracting(p -> p.getMetadata().getName()).containsExactly("b");
        assertThatThrownBy(() -> c.api.update(a)).isInstanceOf(ApiException.Conflict.class);
        assertThatThrownBy(() -> c.api.bind("default", "a", "node-2")).isInstanceOf(ApiException.Conflict.class);

        c.api.delete(Pod.class, "default", "a", null);
        assertThat(c.pod("a").getMetadata().getDeletionTimestamp()).as("bound pod: graceful").isNotNull();
        c.api.delete(Pod.class, "default", "b", null);
        assertThat(c.pod("b")).as("unbound pod: immediate").isNull();
    }
}
