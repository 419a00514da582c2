package io.podvisor.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.podvisor.api.Yaml;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointsBuilderTest {

    static Service service(boolean publishNotReady, String targetPort) {
        return Yaml.read("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: default, labels: {tier: front}}
                spec:
                  selector: {app: web}
                  publishNotReadyAddresses: %s
                  ports: [{name: http, port: 80, targetPort: %s}]
                """.formatted(publishNotReady, targetPort), Service.class);
    }

    static Pod pod(String name, String ip, boolean ready, boolean deleting, String phase) {
        return Yaml.read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: default, uid: uid-%s, labels: {app: web}%s}
                spec:
                  nodeName: node-1
                  containers: [{name: app, image: nginx, ports: [{name: http, containerPort: 8080}]}]
                status:
                  phase: %s
                  %s
                  conditions: [{type: Ready, status: '%s'}]
                """.formatted(name, name, deleting ? ", deletionTimestamp: '2025-01-01T00:00:00Z'" : "",
                phase, ip == null ? "" : "podIP: " + ip, ready ? "True" : "False"), Pod.class);
    }

    private static List<String> ips(List<EndpointAddress> addresses) {
        return addresses.stream().map(EndpointAddress::getIp).toList();
    }

    @ParameterizedTest(name = "ready={0} deleting={1} phase={2} ip={3} publish={4} -> addresses={5} notReady={6}")
    @CsvSource(nullValues = "null", value = {
            "true,  false, Running,   10.0.0.1, false, 10.0.0.1, ''",
            "false, false, Running,   10.0.0.1, false, '',       10.0.0.1",
            "false, false, Running,   10.0.0.1, true,  10.0.0.1, ''",
            "true,  true,  Running,   10.0.0.1, false, '',       ''",
            "true,  true,  Running,   10.0.0.1, true,  10.0.0.1, ''",
            "true,  false, Running,   null,     false, '',       ''",
            "false, false, Succeeded, 10.0.0.1, true,  '',       ''",
            "false, false, Pending,   10.0.0.1, false, '',       10.0.0.1",
    })
    void placesOnePod(boolean ready, boolean deleting, String phase, String ip, boolean publish,
            String addresses, String notReady) {
        Endpoints ep = EndpointsBuilder.build(service(publish, "http"), List.of(pod("a", ip, ready, deleting, phase)));
        List<String> got = ep.getSubsets().stream().flatMap(s -> ips(s.getAddresses()).stream()).toList();
        List<String> gotNotReady = ep.getSubsets().stream().flatMap(s -> ips(s.getNotReadyAddresses()).stream()).toList();
        assertThat(got).isEqualTo(addresses.isEmpty() ? List.of() : List.of(addresses));
        assertThat(gotNotReady).isEqualTo(notReady.isEmpty() ? List.of() : List.of(notReady));
    }

    @ParameterizedTest(name = "targetPort {0} -> {1}")
    @CsvSource({"http, 8080", "9090, 9090", "missing, -1"})
    void resolvesTargetPorts(String targetPort, int port) {
        Endpoints ep = EndpointsBuilder.build(service(false, targetPort), List.of(pod("a", "10.0.0.1", true, false, "Running")));
        if (port < 0) {
            assertThat(ep.getSubsets()).isEmpty();
            return;
        }
        EndpointSubset s = ep.getSubsets().getFirst();
        assertThat(s.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(port);
            assertThat(p.getProtocol()).isEqualTo("TCP");
        });
        EndpointAddress a = s.getAddresses().getFirst();
        assertThat(a.getNodeName()).isEqualTo("node-1");
        assertThat(a.getTargetRef().getKind()).isEqualTo("Pod");
        assertThat(a.getTargetRef().getName()).isEqualTo("a");
        assertThat(a.getTargetRef().getNamespace()).isEqualTo("default");
        assertThat(a.getTargetRef().getUid()).isEqualTo("uid-a");
        assertThat(ep.getMetadata().getLabels()).containsEntry("tier", "front");
    }

    @ParameterizedTest(name = "ready={0} deleting={1} publish={2} -> ready={3} serving={4} terminating={5}")
    @CsvSource({
            "true,  false, false, true,  true,  false",
            "false, false, false, false, false, false",
            "true,  true,  false, false, true,  true",
            "false, true,  false, false, false, true",
            "false, false, true,  true,  false, false",
            "true,  true,  true,  true,  true,  true",
    })
    void sliceConditions(boolean ready, boolean deleting, boolean publish, boolean eReady, boolean serving, boolean term) {
        var slices = SliceContents.build(service(publish, "http"), List.of(pod("a", "10.0.0.1", ready, deleting, "Running")));
        Endpoint e = slices.getFirst().endpoints().getFirst();
        assertThat(e.getConditions().getReady()).isEqualTo(eReady);
        assertThat(e.getConditions().getServing()).isEqualTo(serving);
        assertThat(e.getConditions().getTerminating()).isEqualTo(term);
        assertThat(e.getAddresses()).containsExactly("10.0.0.1");
        assertThat(e.getNodeName()).isEqualTo("node-1");
        assertThat(e.getTargetRef().getName()).isEqualTo("a");
        assertThat(slices.getFirst().ports().getFirst().getPort()).isEqualTo(8080);
    }
}
