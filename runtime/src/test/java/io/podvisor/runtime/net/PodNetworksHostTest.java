package io.podvisor.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.linux.HostCommand;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real bridges, namespaces and veths; needs root, iproute2 and busybox. Traffic stays in its own namespaces. */
class PodNetworksHostTest {

    @TempDir
    Path state;
    @TempDir
    Path www;

    private final String prefix = "pvt" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 2), 36).substring(1);
    private final String net = "10." + ThreadLocalRandom.current().nextInt(200, 250) + "."
            + ThreadLocalRandom.current().nextInt(1, 255) + ".";
    private final List<Process> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private PodNetworks networks;

    @BeforeEach
    void setUp() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(HostCommand.onPath("ip") && HostCommand.onPath("busybox"), "needs iproute2 and busybox");
        networks = new PodNetworks(prefix, net + "0/24", state);
    }

    @AfterEach
    void tearDown() throws Exception {
        started.forEach(Process::destroyForcibly);
        if (networks != null) {
            networks.close();
            assertThat(leftoverNames()).isEmpty();
        }
    }

    @Test
    void podsGetDistinctAddressesAndAreReachableFromTheHostAndEachOther() throws Exception {
        networks.setUp();
        networks.setUp(); // idempotent
        PodNetworks.Attachment a = networks.attach("sba");
        PodNetworks.Attachment b = networks.attach("sbb");

        assertThat(a.ip()).isEqualTo(net + "2");
        assertThat(b.ip()).isEqualTo(net + "3");
        assertThat(a.gateway()).isEqualTo(net + "1");
        assertThat(a.prefixLength()).isEqualTo(24);
        assertThat(a.netnsName()).isEqualTo(prefix + "-sba");
        assertThat(Path.of(a.netnsPath())).exists();
        // what "ip" would have set up: loopback and eth0 up, the address, the default route via the bridge
        assertThat(HostCommand.run(List.of("ip", "-n", a.netnsName(), "-o", "link", "show", "lo")).stdout())
                .contains("state UNKNOWN").contains("LOOPBACK,UP");
        assertThat(HostCommand.run(List.of("ip", "-n", a.netnsName(), "-o", "-4", "addr", "show", "dev", "eth0")).stdout())
                .contains("inet " + net + "2/24");
        assertThat(HostCommand.run(List.of("ip", "-n", a.netnsName(), "route", "show", "default")).stdout())
                .startsWith("default via " + net + "1 dev eth0");
        assertThat(HostCommand.run(List.of("ip", "-o", "link", "show", "master", prefix + "0")).stdout())
                .contains(prefix + "2@").contains(prefix + "3@");

        serve(a, "hello from a");
        serve(b, "hello from b");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(a.ip())).isEqualTo("hello from a"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(b.ip())).isEqualTo("hello from b"));

        // pod to pod over the bridge (busybox nc: the static busybox's wget crashes resolving names)
        HostCommand.Result fromA = HostCommand.run(List.of("ip", "netns", "exec", a.netnsName(), "busybox", "nc",
                "-w", "5", b.ip(), "80"), "GET /index.html HTTP/1.0\r\n\r\n");
        assertThat(fromA.stdout()).startsWith("HTTP/1.1 200").endsWith("hello from b");
    }

    @Test
    void detachIsIdempotentAndFreesTheLowestAddressForReuse() throws Exception {
        networks.setUp();
        PodNetworks.Attachment a = networks.attach("sba");
        networks.attach("sbb");

        networks.detach("sba");
        networks.detach("sba");

        assertThat(Path.of(a.netnsPath())).doesNotExist();
        assertThat(leftoverNames()).containsExactlyInAnyOrder(prefix + "0", prefix + "-sbb", prefix + "3");
        assertThat(allocationFiles()).containsExactly(net + "3");
        assertThat(networks.attach("sbc").ip()).isEqualTo(net + "2");
    }

    @Test
    void aFailedAttachLeavesNothingBehind() throws Exception {
        // no setUp: the bridge is missing, so the veth cannot join it
        assertThatThrownBy(() -> networks.attach("sba")).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("sandbox sba");
        assertThat(leftoverNames()).isEmpty();
        assertThat(allocationFiles()).isEmpty();
    }

    @Test
    void removeLeftoversDeletesWhatAPreviousInstanceLeft() throws Exception {
        networks.setUp();
        networks.attach("sba");
        networks.attach("sbb");

        PodNetworks restarted = new PodNetworks(prefix, net + "0/24", state);
        restarted.removeLeftovers();

        assertThat(leftoverNames()).containsExactly(prefix + "0");
        assertThat(allocationFiles()).isEmpty();
        restarted.close();
        assertThat(leftoverNames()).isEmpty();
    }

    private void serve(PodNetworks.Attachment a, String text) throws IOException {
        Path dir = Files.createDirectories(www.resolve(a.sandboxId()));
        Files.writeString(dir.resolve("index.html"), text);
        started.add(new ProcessBuilder("ip", "netns", "exec", a.netnsName(), "busybox", "httpd", "-f", "-p", "80",
                "-h", dir.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }

    private String get(String ip) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + ip + "/index.html"))
                .timeout(Duration.ofSeconds(2)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Namespaces and links of this prefix that exist on the host. */
    private List<String> leftoverNames() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : HostCommand.run(List.of("ip", "netns", "list")).stdout().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(prefix)) {
                out.add(name);
            }
        }
        for (String line : HostCommand.run(List.of("ip", "-o", "link", "show")).stdout().split("\n")) {
            String[] f = line.split(":\\s+", 3);
            if (f.length > 1 && f[1].startsWith(prefix)) {
                out.add(f[1].replaceAll("@.*", ""));
            }
        }
        return out;
    }

    private List<String> allocationFiles() throws IOException {
        Path dir = state.resolve("ipam");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
