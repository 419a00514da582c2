package io.podvisor.runtime.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.runtime.image.OciImageStore;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointTest {

    private final ImagePuller puller = new ImagePuller(new OciImageStore(Path.of("/nonexistent")),
            new ImagePuller.Options(Set.of("registry.lan:5000", "plain.example")));

    @Test
    void dockerHubIsReachedAtRegistryOne() {
        assertThat(puller.endpoint("docker.io")).hasToString("https://registry-1.docker.io");
    }

    @Test
    void otherRegistriesOverHttpsByHost() {
        assertThat(puller.endpoint("registry.k8s.io")).hasToString("https://registry.k8s.io");
        assertThat(puller.endpoint("ghcr.io:443")).hasToString("https://ghcr.io:443");
        assertThat(puller.endpoint("registry.lan:5001")).hasToString("https://registry.lan:5001");
    }

    @Test
    void loopbackAndListedRegistriesOverPlainHttp() {
        assertThat(puller.endpoint("localhost:5000")).hasToString("http://localhost:5000");
        assertThat(puller.endpoint("127.0.0.1:5000")).hasToString("http://127.0.0.1:5000");
        assertThat(puller.endpoint("127.3.2.1")).hasToString("http://127.3.2.1");
        assertThat(puller.endpoint("[::1]:5000")).hasToString("http://[::1]:5000");
        assertThat(puller.endpoint("registry.lan:5000")).hasToString("http://registry.lan:5000");
        assertThat(puller.endpoint("plain.example:8080")).hasToString("http://plain.example:8080");
    }

    @Test
    void namesAreNotLookedUpToDecideLoopback() {
        assertThat(ImagePuller.isLoopback("localhost.example.com")).isFalse();
        assertThat(ImagePuller.isLoopback("128.0.0.1")).isFalse();
        assertThat(ImagePuller.hostOf("[::1]:5000")).isEqualTo("::1");
    }
}
