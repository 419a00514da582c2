package io.podvisor.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.Mount;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SecurityConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciSpecTest {

    static final ContainerProcess PROCESS = new ContainerProcess(List.of("sh", "-c", "true"), List.of("PATH=/bin"), "/w",
            1000, 2000);
    static final OciSpec.Sandbox SANDBOX = new OciSpec.Sandbox("/run/netns/x", "/s/ns/ipc", "/s/ns/uts",
            List.of(new Mount("/s/hosts", "/etc/hosts", false)), "/pv/besteffort/pod1/c1");

    static final OciSpec.RootLayers LAYERS = new OciSpec.RootLayers("/b/lower", "/b/upper", "/b/work");

    static JsonNode spec(ContainerConfig.Resources res, List<Mount> mounts, SecurityConfig sec, OciSpec.Sandbox sb)
            throws Exception {
        ContainerConfig c = new ContainerConfig("c", 0, "img", List.of(), List.of(), Map.of(), "", "", res, Map.of(),
                Map.of(), mounts, sec);
        return new ObjectMapper().readTree(OciSpec.build(PROCESS, c, sb, LAYERS));
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
        return out;
    }

    @Test
    void processNamespacesAndCgroup() throws Exception {
        JsonNode s = spec(ContainerConfig.Resources.NONE, List.of(), SecurityConfig.NONE, SANDBOX);
        assertThat(s.path("ociVersion").asText()).isEqualTo("1.0.2-dev");
        assertThat(texts(s.at("/process/args"))).containsExactly("sh", "-c", "true");
        assertThat(s.at("/process/user/uid").asLong()).isEqualTo(1000);
        assertThat(s.at("/process/user/gid").asLong()).isEqualTo(2000);
        assertThat(s.at("/process/cwd").asText()).isEqualTo("/w");
        assertThat(s.at("/process/terminal").asBoolean()).isFalse();
        assertThat(s.at("/process/noNewPrivileges").asBoolean()).isFalse();
        assertThat(texts(s.at("/process/capabilities/bounding"))).hasSize(14).contains("CAP_CHOWN");
        assertThat(s.at("/root/path").asText()).isEqualTo("rootfs");
        assertThat(s.at("/root/readonly").asBoolean()).isFalse();
        assertThat(s.at("/linux/cgroupsPath").asText()).isEqualTo("/pv/besteffort/pod1/c1");
        assertThat(texts(s.at("/linux/namespaces"))).containsExactly("{\"type\":\"pid\"}", "{\"type\":\"mount\"}",
                "{\"type\":\"network\",\"path\":\"/run/netns/x\"}", "{\"type\":\"ipc\",\"path\":\"/s/ns/ipc\"}",
                "{\"type\":\"uts\",\"path\":\"/s/ns/uts\"}");
        assertThat(texts(s.at("/linux/maskedPaths"))).contains("/proc/kcore", "/sys/firmware");
        assertThat(texts(s.at("/linux/readonlyPaths"))).contains("/proc/sys");
    }

    @Test
    void hostNetworkOmitsTheNetworkAndUtsNamespaces() throws Exception {
        OciSpec.Sandbox host = new OciSpec.Sandbox(null, "/s/ns/ipc", null, List.of(), "/pv/x/c");
        JsonNode s = spec(ContainerConfig.Resources.NONE, List.of(), SecurityConfig.NONE, host);
        assertThat(texts(s.at("/linux/namespaces"))).containsExactly("{\"type\":\"pid\"}", "{\"type\":\"mount\"}",
                "{\"type\":\"ipc\",\"path\":\"/s/ns/ipc\"}");
    }

    @Test
    void mountsAreTheRootOverlayThenStandardThenSandboxFilesThenVolumes() throws Exception {
        JsonNode s = spec(ContainerConfig.Resources.NONE,
                List.of(new Mount("/data", "/d", false), new Mount("/cfg", "/c", true)), SecurityConfig.NONE, SANDBOX);
        List<String> dests = new ArrayList<>();
        s.path("mounts").forEach(m -> dests.add(m.path("destination").asText()));
        assertThat(dests).containsExactly("/", "/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys",
                "/sys/fs/cgroup", "/etc/hosts", "/d", "/c");
        JsonNode root = s.path("mounts").get(0);
        assertThat(root.path("type").asText()).isEqualTo("overlay");
        assertThat(texts(root.path("options"))).containsExactly("lowerdir=/b/lower", "upperdir=/b/upper", "workdir=/b/work");
        s = s.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) s.path("mounts")).remove(0);
        JsonNode ro = s.path("mounts").get(9);
        assertThat(ro.path("type").asText()).isEqualTo("bind");
        assertThat(ro.path("source").asText()).isEqualTo("/cfg");
        assertThat(texts(ro.path("options"))).containsExactly("rbind", "rprivate", "ro");
        assertThat(texts(s.path("mounts").get(8).path("options"))).containsExactly("rbind", "rprivate");
        assertThat(texts(s.path("mounts").get(5).path("options"))).contains("ro");
    }

    @Test
    void resourcesBecomeMemoryLimitCpuQuotaAndShares() throws Exception {
        JsonNode s = spec(new ContainerConfig.Resources(32L << 20, 500L, 250L), List.of(), SecurityConfig.NONE, SANDBOX);
        assertThat(s.at("/linux/resources/memory/limit").asLong()).isEqualTo(32L << 20);
        assertThat(s.at("/linux/resources/cpu/quota").asLong()).isEqualTo(50_000);
        assertThat(s.at("/linux/resources/cpu/period").asLong()).isEqualTo(100_000);
        assertThat(s.at("/linux/resources/cpu/shares").asLong()).isEqualTo(256);
        assertThat(spec(ContainerConfig.Resources.NONE, List.of(), SecurityConfig.NONE, SANDBOX)
                .at("/linux/resources/memory").isMissingNode()).isTrue();
    }

    @Test
    void privilegedAndReadOnlyRoot() throws Exception {
        JsonNode s = spec(ContainerConfig.Resources.NONE, List.of(),
                new SecurityConfig(null, null, true, true, List.of(), List.of()), SANDBOX);
        assertThat(s.at("/root/readonly").asBoolean()).isTrue();
        assertThat(texts(s.at("/process/capabilities/effective"))).hasSize(41);
        assertThat(s.at("/linux/maskedPaths").isMissingNode()).isTrue();
        assertThat(s.at("/linux/resources/devices/0/allow").asBoolean()).isTrue();
        assertThat(s.path("mounts").get(6).path("destination").asText()).isEqualTo("/sys");
        assertThat(texts(s.path("mounts").get(6).path("options"))).contains("rw");
    }

    @Test
    void relativeVolumePathsAreConfigErrors() {
        assertThatThrownBy(() -> spec(ContainerConfig.Resources.NONE, List.of(new Mount("rel", "/d", false)),
                SecurityConfig.NONE, SANDBOX)).isInstanceOfSatisfying(RuntimeFailure.class,
                        e -> assertThat(e.isConfigError()).isTrue());
    }
}
