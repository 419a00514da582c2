package io.podvisor.client.informers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.client.informers.InformerCluster.Recorder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedInformerFactoryTest {

    private final InformerCluster c = new InformerCluster();
    private final SharedInformerFactory factory = new SharedInformerFactory(c.api, c.clock, c.executor, Duration.ZERO);

    @AfterEach
    void close() {
        factory.close();
        c.close();
    }

    @Test
    void oneInformerPerTypeNamespaceAndSelection() {
        SharedIndexInformer<Pod> all = factory.informerFor(Pod.class);
        assertThat(factory.informerFor(Pod.class, "", "", "")).isSameAs(all);
        assertThat(factory.informerFor(Pod.class, null, null, "spec.nodeName=node-a"))
                .isSameAs(factory.informerFor(Pod.class, null, null, "spec.nodeName=node-a"))
                .isNotSameAs(all)
                .isNotSameAs(factory.informerFor(Pod.class, null, null, "spec.nodeName=node-b"));
        assertThat(factory.informerFor(Pod.class, "default", null, null)).isNotSameAs(all);
        assertThat(factory.informerFor(ConfigMap.class)).isNotSameAs(all);
        assertThat(factory.informerFor(Pod.class, null, null, "spec.nodeName=node-a").name())
                .isEqualTo("pods --field-selector spec.nodeName=node-a");
    }

    @Test
    void startStartsEveryInformerAndThoseAskedForLater() {
        c.configMap("default", "a", Map.of(), "1");
        c.pod("default", "p", "node-a", Map.of(), null);
        SharedIndexInformer<ConfigMap> maps = factory.informerFor(ConfigMap.class);
        factory.start();
        assertThat(factory.hasSynced()).isFalse();
        c.drain();
        assertThat(factory.hasSynced()).isTrue();
        assertThat(maps.lister().keys()).contains("default/a");

        SharedIndexInformer<Pod> pods = factory.informerFor(Pod.class, null, null, "spec.nodeName=node-a");
        Recorder<Pod> rec = new Recorder<>();
        pods.addEventHandler(rec);
        assertThat(factory.hasSynced()).isFalse();
        c.drain();
        assertThat(factory.hasSynced()).isTrue();
        assertThat(rec.calls).hasSize(1).first().asString().startsWith("add default/p ");
    }

    @Test
    void closeStopsEveryInformerAndRefusesNewOnes() {
        SharedIndexInformer<ConfigMap> maps = factory.informerFor(ConfigMap.class, "default", null, null);
        Recorder<ConfigMap> rec = new Recorder<>();
        maps.addEventHandler(rec);
        factory.start();
        c.drain();
        factory.close();
        c.configMap("default", "late", Map.of(), "1");
        c.drain();
        assertThat(rec.calls).isEmpty();
        assertThatThrownBy(() -> factory.informerFor(Pod.class)).isInstanceOf(IllegalStateException.class);
    }
}
