package io.podvisor.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.podvisor.api.Yaml;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.controllers.CountingClient;
import io.podvisor.controllers.TestCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Endpoints controller reads from the informers' caches: no reads of the API per sync, correct after a re-list. */
class EndpointsControllerCacheTest {

    private TestCluster c;
    private CountingClient counting;

    @BeforeEach
    void setUp() {
        c = new TestCluster();
        counting = new CountingClient(c.api);
        SharedInformerFactory informers = new SharedInformerFactory(counting.client(), c.clock, c.executor, Duration.ZERO);
        new EndpointsController(counting.client(), informers, c.clock, c.executor, c.random).start();
        informers.start();
        c.settle();
    }

    private void runningPod(String name, String ip) {
        c.api.create(EndpointsBuilderTest.pod(name, null, false, false, "Pending"));
        c.settle();
        c.run(name, null, ip, true);
    }

    private List<String> addresses() {
        return c.api.get(Endpoints.class, "default", "web").getSubsets().stream()
                .flatMap(s -> s.getAddresses().stream()).map(EndpointAddress::getIp).toList();
    }

    private List<String> sliceAddresses() {
        return c.all(EndpointSlice.class).stream().flatMap(s -> s.getEndpoints().stream())
                .map(Endpoint::getAddresses).map(List::getFirst).toList();
    }

    @Test
    void readsServicesPodsAndWhatItWroteFromTheCaches() {
        c.apply(Yaml.write(EndpointsBuilderTest.service(false, "http")), io.fabric8.kubernetes.api.model.Service.class);
        runningPod("web-1", "10.0.0.1");
        runningPod("web-2", "10.0.0.2");
        c.api.delete(Pod.class, "default", "web-1", 0L);
        c.settle();

        assertThat(addresses()).containsExactly("10.0.0.2");
        assertThat(sliceAddresses()).containsExactly("10.0.0.2");
        assertThat(counting.count("listWithVersion")).as("one list per informer").isEqualTo(4);
        assertThat(counting.count("list")).isZero();
        assertThat(counting.count("get")).isZero();
    }

    @Test
    void aReListAfterGoneDropsPodsDeletedMeanwhile() {
        c.apply(Yaml.write(EndpointsBuilderTest.service(false, "http")), io.fabric8.kubernetes.api.model.Service.class);
        runningPod("web-1", "10.0.0.1");
        runningPod("web-2", "10.0.0.2");
        assertThat(addresses()).containsExactly("10.0.0.1", "10.0.0.2");

        c.watches.expireWatches();
        c.api.delete(Pod.class, "default", "web-1", 0L);
        c.settle();

        assertThat(counting.count("listWithVersion")).as("listed again after 410").isEqualTo(8);
        assertThat(addresses()).containsExactly("10.0.0.2");
        assertThat(sliceAddresses()).containsExactly("10.0.0.2");
        assertThat(c.all(EndpointSlice.class)).hasSize(1);
    }

    @Test
    void aSliceItCreatedIsNotCreatedAgainBeforeTheCacheShowsIt() {
        c.watches.holdEvents(EndpointSlice.class);
        c.apply(Yaml.write(EndpointsBuilderTest.service(false, "http")), io.fabric8.kubernetes.api.model.Service.class);
        runningPod("web-1", "10.0.0.1");
        assertThat(c.all(EndpointSlice.class)).as("one slice while the slice cache lags").hasSize(1);

        c.watches.releaseEvents();
        c.settle();
        assertThat(c.all(EndpointSlice.class)).hasSize(1);
        assertThat(sliceAddresses()).containsExactly("10.0.0.1");
    }

    @Test
    void theEndpointsOfAServiceWithoutLabelsAreNotRewrittenWhenNothingChanged() {
        c.apply("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: default}
                spec: {selector: {app: web}, ports: [{port: 80}]}
                """, io.fabric8.kubernetes.api.model.Service.class);
        runningPod("web-1", "10.0.0.1");
        String version = c.api.get(Endpoints.class, "default", "web").getMetadata().getResourceVersion();

        c.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: other, namespace: default, labels: {app: other}}
                spec: {containers: [{name: a, image: b}]}
                """, Pod.class);
        c.settle();
        assertThat(c.api.get(Endpoints.class, "default", "web").getMetadata().getResourceVersion())
                .as("a pod the Service does not select changes nothing").isEqualTo(version);
        assertThat(addresses()).containsExactly("10.0.0.1");
    }
}
