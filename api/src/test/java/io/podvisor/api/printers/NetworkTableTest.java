package io.podvisor.api.printers;

import static io.podvisor.api.printers.TableCases.cells;
import static io.podvisor.api.printers.TableCases.headers;
import static io.podvisor.api.printers.TableCases.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.api.printers.TableCases.Case;
import io.podvisor.api.resources.ResourceTypes;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NetworkTableTest {

    private static final String META = "metadata: {name: web, creationTimestamp: \"2026-03-01T11:00:00Z\"}\n";

    static Stream<Case> services() {
        return Stream.of(
                of("cluster IP", META + """
                        spec:
                          type: ClusterIP
                          clusterIP: 10.96.0.10
                          clusterIPs: [10.96.0.10]
                          selector: {tier: web, app: shop}
                          ports: [{port: 80, protocol: TCP, targetPort: 8080}, {port: 53, protocol: UDP}]
                        """, "web", "ClusterIP", "10.96.0.10", "<none>", "80/TCP,53/UDP", "60m", "app=shop,tier=web"),
                of("node port with external IPs", META + """
                        spec:
                          type: NodePort
                          clusterIPs: [10.96.1.1]
                          externalIPs: [192.0.2.1, 192.0.2.2]
                          ports: [{port: 80, nodePort: 30080, protocol: TCP}]
                        """, "web", "NodePort", "10.96.1.1", "192.0.2.1,192.0.2.2", "80:30080/TCP", "60m", "<none>"),
                of("load balancer still pending", META + """
                        spec: {type: LoadBalancer, clusterIP: 10.96.2.2, ports: [{port: 443, nodePort: 31443, protocol: TCP}]}
                        """, "web", "LoadBalancer", "10.96.2.2", "<pending>", "443:31443/TCP", "60m", "<none>"),
                of("load balancer ingress sorted, then external IPs", META + """
                        spec: {type: LoadBalancer, clusterIP: 10.96.2.2, externalIPs: [192.0.2.9]}
                        status:
                          loadBalancer:
                            ingress: [{ip: 203.0.113.7}, {hostname: lb.example.com}, {ip: 203.0.113.7}, {ip: 198.51.100.1}]
                        """, "web", "LoadBalancer", "10.96.2.2", "198.51.100.1,203.0.113.7,lb.example.com,192.0.2.9",
                        "<none>", "60m", "<none>"),
                of("external name", META + """
                        spec: {type: ExternalName, externalName: db.example.com}
                        """, "web", "ExternalName", "<none>", "db.example.com", "<none>", "60m", "<none>"),
                of("headless", META + """
                        spec: {type: ClusterIP, clusterIP: None, clusterIPs: [None], selector: {app: db}, ports: [{port: 5432, protocol: TCP}]}
                        """, "web", "ClusterIP", "None", "<none>", "5432/TCP", "60m", "app=db"));
    }

    static Stream<Case> endpoints() {
        return Stream.of(
                of("no subsets", META, "web", "<none>", "60m"),
                of("ready addresses only, per port", META + """
                        subsets:
                        - addresses: [{ip: 10.88.0.5}, {ip: 10.88.0.6}]
                          notReadyAddresses: [{ip: 10.88.0.9}]
                          ports: [{port: 80, protocol: TCP}]
                        """, "web", "10.88.0.5:80,10.88.0.6:80", "60m"),
                of("more than three", META + """
                        subsets:
                        - addresses: [{ip: 10.88.0.5}, {ip: 10.88.0.6}, {ip: 10.88.0.7}]
                          ports: [{name: http, port: 80}, {name: https, port: 443}]
                        """, "web", "10.88.0.5:80,10.88.0.6:80,10.88.0.7:80 + 3 more...", "60m"),
                of("headless subset without ports and IPv6", META + """
                        subsets:
                        - addresses: [{ip: 10.88.0.5}]
                        - addresses: [{ip: "fd00::1"}]
                          ports: [{port: 8080}]
                        """, "web", "10.88.0.5,[fd00::1]:8080", "60m"),
                of("only not-ready addresses", META + """
                        subsets: [{notReadyAddresses: [{ip: 10.88.0.9}], ports: [{port: 80}]}]
                        """, "web", "", "60m"));
    }

    static Stream<Case> slices() {
        return Stream.of(
                of("ports and every address", META + """
                        addressType: IPv4
                        ports: [{name: http, port: 80, protocol: TCP}]
                        endpoints:
                        - addresses: [10.88.0.5]
                          conditions: {ready: true}
                        - addresses: [10.88.0.6]
                          conditions: {ready: false}
                        """, "web", "IPv4", "80", "10.88.0.5,10.88.0.6", "60m"),
                of("named, wildcard and too many", META + """
                        addressType: IPv4
                        ports: [{name: metrics}, {}, {port: 1}, {port: 2}, {port: 3}]
                        endpoints:
                        - addresses: [10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4]
                        """, "web", "IPv4", "metrics,*,1 + 2 more...", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...", "60m"),
                of("empty", META + "addressType: IPv6\n", "web", "IPv6", "<unset>", "<unset>", "60m"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void serviceCells(Case c) {
        assertThat(cells(ResourceTypes.SERVICES, c.yaml())).containsExactlyElementsOf(c.cells());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void endpointsCells(Case c) {
        assertThat(cells(ResourceTypes.ENDPOINTS, c.yaml())).containsExactlyElementsOf(c.cells());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("slices")
    void endpointSliceCells(Case c) {
        assertThat(cells(ResourceTypes.ENDPOINT_SLICES, c.yaml())).containsExactlyElementsOf(c.cells());
    }

    @Test
    void columnsAreUpstreams() {
        assertThat(headers(ResourceTypes.SERVICES)).containsExactly("Name", "Type", "Cluster-IP", "External-IP",
                "Port(s)", "Age", "Selector*");
        assertThat(headers(ResourceTypes.ENDPOINTS)).containsExactly("Name", "Endpoints", "Age");
        assertThat(headers(ResourceTypes.ENDPOINT_SLICES)).containsExactly("Name", "AddressType", "Ports",
                "Endpoints", "Age");
    }
}
