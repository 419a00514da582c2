package io.podvisor.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class Ipv4CidrTest {

    @Test
    void gatewayIsTheFirstHostAndPodAddressesSkipNetworkGatewayAndBroadcast() {
        Ipv4Cidr c = Ipv4Cidr.parse("10.88.0.0/16");
        assertThat(c.gateway()).isEqualTo("10.88.0.1");
        assertThat(c.size()).isEqualTo(65536);
        assertThat(c.address(258)).isEqualTo("10.88.1.2");
        assertThat(c.podOffset("10.88.1.2")).isEqualTo(258);
        assertThat(c.podOffset("10.88.0.0")).isEqualTo(-1);
        assertThat(c.podOffset("10.88.0.1")).isEqualTo(-1);
        assertThat(c.podOffset("10.88.255.255")).isEqualTo(-1);
        assertThat(c.podOffset("10.88.255.254")).isEqualTo(65534);
        assertThat(c.podOffset("10.89.0.2")).isEqualTo(-1);
        assertThat(c.podOffset("junk")).isEqualTo(-1);
        assertThat(Ipv4Cidr.parse("192.168.7.0/24").address(200)).isEqualTo("192.168.7.200");
    }

    @Test
    void rejectsWhatIsNotANetwork() {
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.88.0.1/16")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.88.0.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.288.0.0/16")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.88.0.0/31")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void networkPrefixesAreShortEnoughForLinkNames() {
        assertThatThrownBy(() -> new PodNetworks("toolong", "10.88.0.0/16", Path.of("/tmp")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PodNetworks("p-x", "10.88.0.0/16", Path.of("/tmp")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new PodNetworks("pv1", "10.88.0.0/16", Path.of("/tmp")).bridge()).isEqualTo("pv10");
    }

    @Test
    void overlappingCidrsAndTheAutomaticCidrsTheHostsRoutesLeaveFree() {
        assertThat(PodNetworks.overlap("10.88.0.0/16", "10.88.7.0/24")).isTrue();
        assertThat(PodNetworks.overlap("10.88.7.0/24", "10.88.0.0/16")).isTrue();
        assertThat(PodNetworks.overlap("10.88.0.0/16", "10.89.0.0/16")).isFalse();
        assertThat(PodNetworks.overlap("10.0.0.0/8", "10.119.0.0/16")).isTrue();

        String routes = """
                default via 192.168.1.1 dev eth0 proto dhcp src 192.168.1.20 metric 100
                10.88.0.0/16 dev podman0 proto kernel scope link src 10.88.0.1
                10.90.3.7 dev wg0 scope link
                blackhole 10.91.0.0/16
                192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.20
                """;
        assertThat(PodNetworks.freeOf(java.util.List.of("10.88.0.0/16", "10.89.0.0/16", "10.90.0.0/16", "10.91.0.0/16",
                "10.92.0.0/16"), routes)).containsExactly("10.89.0.0/16", "10.92.0.0/16");
        assertThat(PodNetworks.freeOf(PodNetworks.AUTO_CIDRS, "")).hasSize(32).startsWith("10.88.0.0/16")
                .endsWith("10.119.0.0/16");
    }
}
