package io.podvisor.kubelet.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageNamesTest {

    @ParameterizedTest
    @CsvSource({
            "busybox, docker.io/library/busybox:latest",
            "nginx:1.27, docker.io/library/nginx:1.27",
            "localhost:5000/app, localhost:5000/app:latest",
    })
    void namesWithoutTagGetLatest(String image, String normalized) {
        assertThat(ImageNames.parse(image)).hasToString(normalized);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Nginx:1.27 | invalid reference format: repository name (library/Nginx) must be lowercase",
            "hfhugs/unsloth-GGUF:Q4 | invalid reference format: repository name (hfhugs/unsloth-GGUF) must be lowercase",
            "ghcr.io/Team/app | invalid reference format: repository name (Team/app) must be lowercase",
            "registry.hub.docker.com/library//nginx:latest | invalid reference format",
            ":sha-0b293ab | invalid reference format",
    })
    void badNamesCarryDockersReason(String image, String reason) {
        assertThatThrownBy(() -> ImageNames.parse(image)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("couldn't parse image name \"" + image + "\": " + reason);
    }
}
