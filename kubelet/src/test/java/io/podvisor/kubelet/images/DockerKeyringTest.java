package io.podvisor.kubelet.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.podvisor.runtime.image.ImageReference;
import io.podvisor.runtime.image.RegistryAuth;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerKeyringTest {

    static Secret configJson(String name, String auths) {
        return new SecretBuilder().withNewMetadata().withName(name).endMetadata().withType("kubernetes.io/dockerconfigjson")
                .withData(Map.of(".dockerconfigjson", b64("{\"auths\": " + auths + "}"))).build();
    }

    static String entry(String user) {
        return "{\"username\": \"" + user + "\", \"password\": \"pw-" + user + "\"}";
    }

    static List<String> users(DockerKeyring k, String image) {
        return k.lookup(ImageReference.parse(image)).stream().map(RegistryAuth::username).toList();
    }

    @ParameterizedTest
    @CsvSource({
            "https://index.docker.io/v1/, index.docker.io",
            "http://quay.io, quay.io",
            "quay.io/team/, quay.io/team/",
            "registry.example.com:5000/v2/, registry.example.com:5000",
            "registry.example.com/v2/team, registry.example.com/team",
    })
    void keysLoseSchemeAndApiVersionPath(String key, String normalized) {
        assertThat(DockerKeyring.normalizeKey(key)).isEqualTo(normalized);
    }

    @ParameterizedTest
    @CsvSource({
            "quay.io, quay.io/team/app, true",
            "quay.io/team, quay.io/team/app, true",
            "quay.io/other, quay.io/team/app, false",
            "*.example.com, registry.example.com/app, true",
            "*.example.com, example.com/app, false",
            "*.example.com, a.b.example.com/app, false",
            "registry.example.com:5000, registry.example.com:5000/app, true",
            "registry.example.com, registry.example.com:5000/app, false",
            "reg?stry.example.com, registry.example.com/app, true",
    })
    void hostsMatchLabelByLabelWithEqualPortsAndPathPrefixes(String glob, String target, boolean matches) {
        assertThat(DockerKeyring.matches(glob, target)).isEqualTo(matches);
    }

    @Test
    void mostSpecificKeyFirstThenSecretOrder() {
        DockerKeyring k = DockerKeyring.of(List.of(
                configJson("a", "{\"quay.io\": " + entry("host-a") + ", \"quay.io/team\": " + entry("team-a") + "}"),
                configJson("b", "{\"https://quay.io\": " + entry("host-b") + "}")));
        assertThat(users(k, "quay.io/team/app:1")).containsExactly("team-a", "host-a", "host-b");
        assertThat(users(k, "quay.io/other/app:1")).containsExactly("host-a", "host-b");
        assertThat(users(k, "ghcr.io/team/app:1")).isEmpty();
    }

    @Test
    void authFieldWinsAndIdentityTokenIsKept() {
        DockerKeyring k = DockerKeyring.of(List.of(configJson("a", "{\"ghcr.io\": {\"username\": \"ignored\", \"auth\": \""
                + b64("bob:pa:ss") + "\", \"identitytoken\": \"tok\"}}")));
        assertThat(k.lookup(ImageReference.parse("ghcr.io/bob/app"))).containsExactly(new RegistryAuth("bob", "pa:ss", "tok"));
    }

    @Test
    void dockerHubImagesFallBackToTheIndexKeys() {
        DockerKeyring legacy = DockerKeyring.of(List.of(new SecretBuilder().withNewMetadata().withName("cfg").endMetadata()
                .withType("kubernetes.io/dockercfg")
                .withData(Map.of(".dockercfg", b64("{\"https://index.docker.io/v1/\": " + entry("hub") + "}"))).build()));
        assertThat(users(legacy, "busybox")).containsExactly("hub");
        assertThat(users(legacy, "docker.io/library/busybox:1.36")).containsExactly("hub");
        assertThat(users(legacy, "quay.io/busybox")).isEmpty();
        DockerKeyring plain = DockerKeyring.of(List.of(configJson("a", "{\"docker.io\": " + entry("plain") + "}")));
        assertThat(users(plain, "busybox")).containsExactly("plain");
        DockerKeyring registry1 = DockerKeyring.of(List.of(configJson("a", "{\"registry-1.docker.io\": " + entry("r1") + "}")));
        assertThat(users(registry1, "team/app")).containsExactly("r1");
    }

    @Test
    void otherSecretTypesAndBrokenContentAddNothing() {
        Secret opaque = new SecretBuilder().withNewMetadata().withName("o").endMetadata().withType("Opaque")
                .withData(Map.of(".dockerconfigjson", b64("{\"auths\": {\"quay.io\": " + entry("x") + "}}"))).build();
        Secret broken = configJson("b", "not json");
        Secret badAuth = configJson("c", "{\"quay.io\": {\"auth\": \"" + b64("no-colon") + "\"}}");
        assertThat(users(DockerKeyring.of(List.of(opaque, broken, badAuth)), "quay.io/app")).isEmpty();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
