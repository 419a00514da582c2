package io.podvisor.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.podvisor.api.Yaml;
import io.podvisor.kubelet.harness.NodeHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Node object and its Lease, as the kubelet keeps them (virtual time, real machine facts). */
class NodeRegistrationTest {

    @Test
    void maxPodsSetsThePodsCapacity() {
        NodeHarness h = new NodeHarness(c -> c.withMaxPods(1000));
        Node node = h.objects().get(Node.class, null, "podvisor");

        assertThat(node.getStatus().getCapacity().get("pods").toString()).isEqualTo("1000");
        assertThat(node.getStatus().getAllocatable().get("pods").toString()).isEqualTo("1000");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.podvisor.kubelet.KubeletConfig.defaults("n").withMaxPods(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("max pods must be at least 1, not 0");
    }

    @Test
    void theNodeIsRegisteredWithTheMachinesCapacityLabelsAddressesAndReadyConditions() throws Exception {
        NodeHarness h = new NodeHarness();
        Node node = h.objects().get(Node.class, null, "podvisor");

        assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", "podvisor")
                .containsEntry("kubernetes.io/os", "linux").containsEntry("beta.kubernetes.io/os", "linux")
                .containsKeys("kubernetes.io/arch", "beta.kubernetes.io/arch");
        var status = node.getStatus();
        assertThat(status.getCapacity().get("cpu").toString()).isEqualTo(Integer.toString(Runtime.getRuntime().availableProcessors()));
        assertThat(status.getCapacity().get("pods").toString()).isEqualTo("110");
        String memTotal = Files.readAllLines(Path.of("/proc/meminfo")).getFirst().replaceAll("\\D", "");
        assertThat(status.getCapacity().get("memory").toString()).isEqualTo(NodeObjects.binarySI(Long.parseLong(memTotal) * 1024));
        assertThat(status.getCapacity()).containsKey("ephemeral-storage");
        assertThat(status.getAllocatable()).isEqualTo(status.getCapacity());
        assertThat(status.getAddresses()).extracting(a -> a.getType() + "=" + a.getAddress())
                .containsExactly("InternalIP=127.0.0.1", "Hostname=podvisor");
        assertThat(status.getConditions()).extracting(NodeCondition::getType, NodeCondition::getStatus, NodeCondition::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("MemoryPressure", "False", "KubeletHasSufficientMemory"),
                        org.assertj.core.groups.Tuple.tuple("DiskPressure", "False", "KubeletHasNoDiskPressure"),
                        org.assertj.core.groups.Tuple.tuple("PIDPressure", "False", "KubeletHasSufficientPID"),
                        org.assertj.core.groups.Tuple.tuple("Ready", "True", "KubeletReady"));
        NodeCondition ready = status.getConditions().get(3);
        assertThat(ready.getMessage()).isEqualTo("kubelet is posting ready status");
        assertThat(List.of(ready.getLastHeartbeatTime(), ready.getLastTransitionTime()))
                .containsOnly("2026-01-01T00:00:00Z");
        var info = status.getNodeInfo();
        assertThat(info.getKubeletVersion()).isEqualTo("v1.33.0");
        assertThat(info.getContainerRuntimeVersion()).isEqualTo("fake://0.1.0");
        assertThat(info.getOperatingSystem()).isEqualTo("linux");
        assertThat(info.getArchitecture()).isIn("amd64", "arm64");
        assertThat(info.getKernelVersion()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
        assertThat(status.getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);
    }

    @Test
    void theLeaseIsRenewedEveryTenSecondsAndTheStatusEveryFiveMinutes() {
        NodeHarness h = new NodeHarness();
        Lease lease = h.objects().get(Lease.class, "kube-node-lease", "podvisor");
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("podvisor");
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
        assertThat(lease.getSpec().getRenewTime().toInstant()).isEqualTo(NodeHarness.T0);
        assertThat(Yaml.json(lease)).contains("\"renewTime\":\"2026-01-01T00:00:00.000000Z\"");
        String nodeUid = h.objects().get(Node.class, null, "podvisor").getMetadata().getUid();
        assertThat(lease.getMetadata().getOwnerReferences().getFirst().getUid()).isEqualTo(nodeUid);

        h.advanceSeconds(9);
        assertThat(renewTime(h)).isEqualTo(ZonedDateTime.parse("2026-01-01T00:00:00Z"));
        h.advanceSeconds(1);
        assertThat(renewTime(h)).isEqualTo(ZonedDateTime.parse("2026-01-01T00:00:10Z"));
        h.advanceSeconds(290);
        assertThat(renewTime(h)).isEqualTo(ZonedDateTime.parse("2026-01-01T00:05:00Z"));
        NodeCondition ready = h.objects().get(Node.class, null, "podvisor").getStatus().getConditions().get(3);
        assertThat(ready.getLastHeartbeatTime()).isEqualTo("2026-01-01T00:05:00Z");
        assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(h.objects().log().stream().filter(l -> l.endsWith(" Node podvisor")))
                .as("created with its status, reported once five minutes later")
                .containsExactly("create Node podvisor", "updateStatus Node podvisor");
    }

    @Test
    void aLeaseChangedByAnotherWriterIsReadAgainAndRenewedKeepingTheChange() {
        NodeHarness h = new NodeHarness();
        h.advanceSeconds(10);
        Lease lease = h.objects().get(Lease.class, "kube-node-lease", "podvisor");
        lease.getMetadata().setLabels(java.util.Map.of("touched-by", "someone-else"));
        h.objects().update(lease);

        h.advanceSeconds(10);

        Lease renewed = h.objects().get(Lease.class, "kube-node-lease", "podvisor");
        assertThat(renewed.getSpec().getRenewTime()).isEqualTo(ZonedDateTime.parse("2026-01-01T00:00:20Z"));
        assertThat(renewed.getMetadata().getLabels()).containsEntry("touched-by", "someone-else");
        assertThat(renewed.getMetadata().getOwnerReferences()).hasSize(1);
    }

    @Test
    void aDeletedLeaseIsCreatedAgainOwnedByTheNode() {
        NodeHarness h = new NodeHarness();
        h.advanceSeconds(10);
        h.objects().delete(Lease.class, "kube-node-lease", "podvisor", null);

        h.advanceSeconds(10);

        Lease lease = h.objects().get(Lease.class, "kube-node-lease", "podvisor");
        assertThat(lease.getSpec().getRenewTime()).isEqualTo(ZonedDateTime.parse("2026-01-01T00:00:20Z"));
        String nodeUid = h.objects().get(Node.class, null, "podvisor").getMetadata().getUid();
        assertThat(lease.getMetadata().getOwnerReferences().getFirst().getUid()).isEqualTo(nodeUid);
        assertThat(h.objects().log()).containsSubsequence("delete Lease podvisor", "update Lease podvisor",
                "create Lease podvisor");
    }

    @Test
    void aRenewalIsOneUpdateOfTheLease() {
        NodeHarness h = new NodeHarness();
        int before = h.objects().log().size();

        h.advanceSeconds(60);

        assertThat(h.objects().log().subList(before, h.objects().log().size())).containsOnly("update Lease podvisor").hasSize(6);
    }

    static ZonedDateTime renewTime(NodeHarness h) {
        return h.objects().get(Lease.class, "kube-node-lease", "podvisor").getSpec().getRenewTime();
    }
}
