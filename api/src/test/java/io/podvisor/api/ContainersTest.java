package io.podvisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainersTest {

    @ParameterizedTest(name = "restartPolicy={0} -> sidecar={1}")
    @CsvSource(nullValues = "null", value = {"Always, true", "null, false", "OnFailure, false",
        "Never, false", "always, false"})
    void sidecarIffRestartPolicyAlways(String policy, boolean expected) {
        var c = new ContainerBuilder().withName("s").withRestartPolicy(policy).build();
        assertThat(Containers.isSidecar(c)).isEqualTo(expected);
    }

    @Test
    void nullIsNotSidecar() {
        assertThat(Containers.isSidecar(null)).isFalse();
    }

    @Test
    void allListsInitContainersThenMainContainersInSpecOrder() {
        var spec = new PodSpecBuilder()
                .addNewContainer().withName("app").endContainer()
                .addNewContainer().withName("log").endContainer()
                .addNewInitContainer().withName("setup").endInitContainer()
                .addNewInitContainer().withName("proxy").withRestartPolicy("Always").endInitContainer()
                .build();
        assertThat(Containers.all(spec)).extracting(Container::getName).containsExactly("setup", "proxy", "app", "log");
        assertThat(Containers.all(new PodSpecBuilder().build())).isEmpty();
        assertThat(Containers.all(null)).isEmpty();
    }
}
