package io.podvisor.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

    @ParameterizedTest
    @CsvSource({
            "busybox, docker.io/library/busybox:latest",
            "busybox:1.36, docker.io/library/busybox:1.36",
            "library/busybox, docker.io/library/busybox:latest",
            "docker.io/busybox, docker.io/library/busybox:latest",
            "index.docker.io/library/busybox:1, docker.io/library/busybox:1",
            "bitnami/nginx:1.25, docker.io/bitnami/nginx:1.25",
            "registry.k8s.io/busybox, registry.k8s.io/busybox:latest",
            "registry.k8s.io/pause:3.9, registry.k8s.io/pause:3.9",
            "localhost/app, localhost/app:latest",
            "localhost:5000/team/app:v2, localhost:5000/team/app:v2",
            "quay.io/a/b/c:x-y_z.1, quay.io/a/b/c:x-y_z.1",
    })
    void normalizesAsDockerDoes(String in, String out) {
        assertThat(ImageReference.parse(in)).hasToString(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "busybox:1.36@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
    void aDigestReplacesTheTag(String in) {
        ImageReference ref = ImageReference.parse(in);
        assertThat(ref.tag()).isNull();
        assertThat(ref.version()).isEqualTo("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        assertThat(ref.toString()).startsWith("docker.io/library/busybox@sha256:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Busybox", "busy box", "busybox:", "a//b", "busybox@sha256:short", ":tag"})
    void rejectsInvalidReferences(String in) {
        assertThatThrownBy(() -> ImageReference.parse(in)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid reference format");
    }
}
