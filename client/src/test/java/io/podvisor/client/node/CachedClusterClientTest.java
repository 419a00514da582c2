package io.podvisor.client.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.podvisor.api.ClusterClient;
import io.podvisor.api.Yaml;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.apiserver.registry.Registries;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.core.DeterministicExecutor;
import io.podvisor.core.FakeClock;
import io.podvisor.store.MemoryStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kubelet's {@link ClusterClient} over shared informers, on the real registry in virtual time. */
class CachedClusterClientTest {

    private final FakeClock clock = new FakeClock(Instant.parse("2026-06-01T00:00:00Z"));
    private final DeterministicExecutor executor = new DeterministicExecutor();
    private final MemoryStore store = new MemoryStore(executor);
    private final Registries api = new Registries(store, clock, executor);
    /** ConfigMap lists that are still to fail (the informer retries them after its back-off). */
    private int failingConfigMapLists;
    private final SharedInformerFactory informers = new SharedInformerFactory(flakyConfigMapLists(), clock, executor,
            Duration.ZERO);

    CachedClusterClientTest() {
        clock.afterEachTimer(executor::runUntilIdle);
        api.start();
        executor.runUntilIdle();
    }

    @AfterEach
    void close() {
        informers.close();
        api.close();
        store.close();
        executor.runUntilIdle();
    }

    @Test
    void podsOfTheNodeArriveOnlyOnceConfigMapsAndSecretsAreCached() {
        failingConfigMapLists = 1; // the pods are listed well before the ConfigMaps
        CachedClusterClient cached = new CachedClusterClient(api, informers);
        configMap("cfg", "v1");
        api.create(new SecretBuilder().withNewMetadata().withNamespace("default").withName("s").endMetadata()
                .withStringData(Map.of("p", "pw")).build());
        pod("mine", "node-1");
        pod("other", "node-2");
        List<String> seen = new ArrayList<>();
        cached.watchPods("node-1", new ClusterClient.PodListener() {
            @Override
            public void onUpsert(Pod pod) {
                ConfigMap cm = cached.configMap("default", "cfg");
                seen.add("upsert " + pod.getMetadata().getName() + " cfg=" + (cm == null ? null : cm.getData().get("v")));
            }

            @Override
            public void onDelete(Pod pod) {
                seen.add("delete " + pod.getMetadata().getName());
            }
        });
        assertThat(seen).isEmpty();

        informers.start();
        executor.runUntilIdle();
        assertThat(seen).as("the ConfigMap list failed: no pod yet").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(seen).containsExactly("upsert mine cfg=v1");
        assertThat(cached.secret("default", "s").getData()).containsEntry("p", "cHc=");
        assertThat(cached.configMap("other", "cfg")).isNull();
        assertThat(cached.secret("default", "nope")).isNull();
        assertThat(cached.services("default")).extracting(svc -> svc.getMetadata().getName())
                .as("the API server's own Service").containsExactly("kubernetes");
        assertThat(cached.services("other")).isEmpty();

        ConfigMap cm = Yaml.copy(api.get(ConfigMap.class, "default", "cfg"));
        cm.setData(Map.of("v", "v2"));
        api.update(cm);
        executor.runUntilIdle();
        assertThat(cached.configMap("default", "cfg").getData()).containsEntry("v", "v2");

        api.delete(Pod.class, "default", "mine", 0L);
        executor.runUntilIdle();
        assertThat(seen).containsExactly("upsert mine cfg=v1", "delete mine");
    }

    @Test
    void writesGoToTheApi() {
        CachedClusterClient cached = new CachedClusterClient(api, informers);
        informers.start();
        Pod p = pod("mine", "node-1");
        executor.runUntilIdle();
        var status = Yaml.copy(p.getStatus());
        status.setPhase("Running");
        assertThat(cached.updatePodStatus("default", "mine", p.getMetadata().getUid(), status).getStatus().getPhase())
                .isEqualTo("Running");
        cached.deletePodFinal("default", "mine", p.getMetadata().getUid());
        assertThat(api.get(Pod.class, "default", "mine")).isNull();
        assertThat(cached.events()).isSameAs(api.events());
    }

    private ObjectClient flakyConfigMapLists() {
        return (ObjectClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ObjectClient.class},
                (p, method, args) -> {
                    if (method.getName().equals("listWithVersion") && args[0] == ConfigMap.class
                            && failingConfigMapLists > 0) {
                        failingConfigMapLists--;
                        throw new ApiException.Internal("etcdserver: request timed out");
                    }
                    try {
                        return method.invoke(api, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void configMap(String name, String value) {
        api.create(new ConfigMapBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withData(Map.of("v", value)).build());
    }

    private Pod pod(String name, String node) {
        return api.create(new PodBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("main").withImage("busybox").endContainer()
                .endSpec().build());
    }
}
