package io.podvisor.api.printers;

import static io.podvisor.api.printers.TableCases.cells;
import static io.podvisor.api.printers.TableCases.headers;
import static io.podvisor.api.printers.TableCases.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.podvisor.api.Yaml;
import io.podvisor.api.printers.TableCases.Case;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterTableTest {

    private static final String NODE = """
            metadata:
              name: node-1
              creationTimestamp: "2026-02-20T12:00:00Z"
              labels: {node-role.kubernetes.io/control-plane: "", node-role.kubernetes.io/worker: "", kubernetes.io/role: edge, node-role.kubernetes.io/: ""}
            spec: {}
            status:
              conditions: [{type: MemoryPressure, status: "False"}, {type: Ready, status: "True"}]
              addresses: [{type: Hostname, address: node-1}, {type: InternalIP, address: 192.168.1.10}]
              nodeInfo:
                kubeletVersion: v1.33.1
                osImage: Debian GNU/Linux 12 (bookworm)
                kernelVersion: 6.1.0-18-amd64
                containerRuntimeVersion: podvisor://0.1.0
            """;

    static Stream<Case> nodes() {
        return Stream.of(
                of("ready with roles", NODE, "node-1", "Ready", "control-plane,edge,worker", "9d", "v1.33.1",
                        "192.168.1.10", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64",
                        "podvisor://0.1.0"),
                of("not ready and cordoned", NODE.replace("spec: {}", "spec: {unschedulable: true}")
                        .replace("{type: Ready, status: \"True\"}", "{type: Ready, status: Unknown}"),
                        "node-1", "NotReady,SchedulingDisabled", "control-plane,edge,worker", "9d", "v1.33.1",
                        "192.168.1.10", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64",
                        "podvisor://0.1.0"),
                of("just registered", """
                        metadata: {name: node-2, creationTimestamp: "2026-03-01T11:59:58Z"}
                        status: {addresses: [{type: ExternalIP, address: 203.0.113.4}]}
                        """, "node-2", "Unknown", "<none>", "2s", "", "<none>", "203.0.113.4", "<unknown>",
                        "<unknown>", "<unknown>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodes")
    void nodeCells(Case c) {
        assertThat(cells(ResourceTypes.NODES, c.yaml())).containsExactlyElementsOf(c.cells());
    }

    @Test
    void namespaceConfigMapSecretServiceAccountAndLease() {
        String meta = "metadata: {name: x, namespace: default, creationTimestamp: \"2026-03-01T09:00:00Z\"}\n";
        assertThat(cells(ResourceTypes.NAMESPACES, meta + "status: {phase: Terminating}\n"))
                .containsExactly("x", "Terminating", "3h");
        assertThat(cells(ResourceTypes.CONFIGMAPS, meta + "data: {a: '1', b: '2'}\nbinaryData: {c: AA==}\n"))
                .containsExactly("x", 3L, "3h");
        assertThat(cells(ResourceTypes.CONFIGMAPS, meta)).containsExactly("x", 0L, "3h");
        assertThat(cells(ResourceTypes.SECRETS, meta + "type: kubernetes.io/tls\ndata: {tls.crt: AA==, tls.key: AA==}\n"))
                .containsExactly("x", "kubernetes.io/tls", 2L, "3h");
        assertThat(cells(ResourceTypes.SERVICE_ACCOUNTS, meta)).containsExactly("x", 0L, "3h");
        assertThat(cells(ResourceTypes.SERVICE_ACCOUNTS, meta + "secrets: [{name: x-token}]\n"))
                .containsExactly("x", 1L, "3h");
        assertThat(cells(ResourceTypes.LEASES, meta + "spec: {holderIdentity: node-1, leaseDurationSeconds: 40}\n"))
                .containsExactly("x", "node-1", "3h");
        assertThat(cells(ResourceTypes.LEASES, meta)).containsExactly("x", "", "3h");
    }

    @Test
    void columnsAreUpstreams() {
        assertThat(headers(ResourceTypes.NODES)).containsExactly("Name", "Status", "Roles", "Age", "Version",
                "Internal-IP*", "External-IP*", "OS-Image*", "Kernel-Version*", "Container-Runtime*");
        assertThat(headers(ResourceTypes.NAMESPACES)).containsExactly("Name", "Status", "Age");
        assertThat(headers(ResourceTypes.CONFIGMAPS)).containsExactly("Name", "Data", "Age");
        assertThat(headers(ResourceTypes.SECRETS)).containsExactly("Name", "Type", "Data", "Age");
        assertThat(headers(ResourceTypes.SERVICE_ACCOUNTS)).containsExactly("Name", "Secrets", "Age");
        assertThat(headers(ResourceTypes.LEASES)).containsExactly("Name", "Holder", "Age");
    }

    @Test
    void everyServedKindHasAPrinterWhoseRowsFitItsColumns() {
        for (ResourceType type : ResourceTypes.ALL_TYPES) {
            assertThat(Tables.columns(type).get(0).name()).as(type.kind()).isNotEqualTo("Created At");
            int nameColumns = (int) Tables.columns(type).stream().filter(c -> c.format().equals("name")).count();
            assertThat(nameColumns).as(type.qualifiedName()).isEqualTo(1);
            List<Object> row = cells(type, "metadata: {name: empty}\n");
            assertThat(row).as(type.qualifiedName()).hasSameSizeAs(Tables.columns(type)).contains("empty");
        }
    }

    @Test
    void kindsWithoutAPrinterGetTheServerDefault() {
        ResourceType widgets = new ResourceType("example.com", "v1", "widgets", "widget", "Widget", true,
                List.of(), List.of(), List.of(), GenericKubernetesResource.class);
        assertThat(headers(widgets)).containsExactly("Name", "Created At");
        assertThat(Tables.columns(widgets).get(1).type()).isEqualTo("date");
        GenericKubernetesResource w = Yaml.read(
                "metadata: {name: w1, creationTimestamp: \"2026-02-03T04:05:06Z\"}\n", GenericKubernetesResource.class);
        assertThat(Tables.cells(widgets, w, TableCases.NOW)).containsExactly("w1", "2026-02-03T04:05:06Z");
    }
}
