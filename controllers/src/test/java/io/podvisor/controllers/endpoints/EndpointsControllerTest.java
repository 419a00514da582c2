package io.podvisor.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.podvisor.api.Yaml;
import io.podvisor.controllers.TestCluster;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EndpointsControllerTest {

    private TestCluster c;

    @BeforeEach
    void setUp() {
        c = new TestCluster();
        new EndpointsController(c.api, c.informers, c.clock, c.executor, c.random).start();
        c.startInformers();
    }

    private void pod(String name, String app) {
        c.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: default, labels: {app: %s}}
                spec:
                  containers: [{name: app, image: nginx, ports: [{name: http, containerPort: 8080}]}]
                """.formatted(name, app), Pod.class);
        c.settle();
    }

    private Endpoints endpoints() {
        return c.api.get(Endpoints.class, "default", "web");
    }

    private static List<String> ips(List<EndpointAddress> a) {
        return a.stream().map(EndpointAddress::getIp).toList();
    }

    @Test
    void readyAndNotReadyPodsWithNamedPorts() {
        pod("web-1", "web");
        pod("web-2", "web");
        pod("web-3", "web");
        pod("db-1", "db");
        c.run("web-1", "node-1", "10.0.0.1", true);
        c.run("web-2", "node-1", "10.0.0.2", false);
        c.run("db-1", "node-1", "10.0.0.9", true);
        c.apply(Yaml.write(EndpointsBuilderTest.service(false, "http")), Service.class);

        Endpoints ep = endpoints();
        assertThat(ep.getSubsets()).hasSize(1);
        assertThat(ips(ep.getSubsets().getFirst().getAddresses())).containsExactly("10.0.0.1");
        assertThat(ips(ep.getSubsets().getFirst().getNotReadyAddresses())).containsExactly("10.0.0.2");
        assertThat(ep.getSubsets().getFirst().getPorts().getFirst().getPort()).isEqualTo(8080);
        assertThat(ep.getSubsets().getFirst().getAddresses().getFirst().getTargetRef().getUid())
                .isEqualTo(c.pod("web-1").getMetadata().getUid());

        List<EndpointSlice> slices = c.all(EndpointSlice.class);
        assertThat(slices).singleElement().satisfies(s -> {
            assertThat(s.getMetadata().getName()).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}");
            assertThat(s.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "web")
                    .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
                    .containsEntry("tier", "front");
            assertThat(s.getAddressType()).isEqualTo("IPv4");
            assertThat(s.getMetadata().getOwnerReferences().getFirst().getKind()).isEqualTo("Service");
            assertThat(s.getEndpoints()).extracting(Endpoint::getAddresses).containsExactly(List.of("10.0.0.1"), List.of("10.0.0.2"));
            assertThat(s.getEndpoints()).extracting(e -> e.getConditions().getReady()).containsExactly(true, false);
            assertThat(s.getPorts().getFirst().getName()).isEqualTo("http");
            assertThat(s.getPorts().getFirst().getPort()).isEqualTo(8080);
        });

        String epVersion = endpoints().getMetadata().getResourceVersion();
        String sliceVersion = c.all(EndpointSlice.class).getFirst().getMetadata().getResourceVersion();
        c.run("db-1", "node-1", "10.0.0.9", false);
        assertThat(endpoints().getMetadata().getResourceVersion()).as("unchanged: no write").isEqualTo(epVersion);
        assertThat(c.all(EndpointSlice.class).getFirst().getMetadata().getResourceVersion()).isEqualTo(sliceVersion);

        c.run("web-2", "node-1", "10.0.0.2", true);
        assertThat(ips(endpoints().getSubsets().getFirst().getAddresses())).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(endpoints().getSubsets().getFirst().getNotReadyAddresses()).isEmpty();

        c.api.delete(Pod.class, "default", "web-1", null);
        c.settle();
        assertThat(ips(endpoints().getSubsets().getFirst().getAddresses())).as("terminating pod left out").containsExactly("10.0.0.2");
        assertThat(c.all(EndpointSlice.class).getFirst().getEndpoints()).extracting(e -> e.getConditions().getTerminating())
                .containsExactly(true, false);

        c.api.delete(Service.class, "default", "web", null);
        c.settle();
        assertThat(endpoints()).isNull();
        assertThat(c.all(EndpointSlice.class)).isEmpty();
    }

    @Test
    void publishNotReadyAddressesListsEveryPodAsReady() {
        pod("web-1", "web");
        c.run("web-1", "node-1", "10.0.0.1", false);
        c.apply(Yaml.write(EndpointsBuilderTest.service(true, "8080")), Service.class);
        assertThat(ips(endpoints().getSubsets().getFirst().getAddresses())).containsExactly("10.0.0.1");
        assertThat(c.all(EndpointSlice.class).getFirst().getEndpoints().getFirst().getConditions().getReady()).isTrue();
    }

    @Test
    void serviceWithoutPodsGetsEmptyEndpointsAndSliceAndDeletedEndpointsAreRepaired() {
        c.apply(Yaml.write(EndpointsBuilderTest.service(false, "http")), Service.class);
        assertThat(endpoints().getSubsets()).isEmpty();
        assertThat(c.all(EndpointSlice.class)).singleElement().satisfies(s -> assertThat(s.getEndpoints()).isEmpty());

        c.api.delete(Endpoints.class, "default", "web", null);
        c.settle();
        assertThat(endpoints()).isNotNull();
    }
}
