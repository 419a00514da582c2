package io.podvisor.kubelet.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.podvisor.api.errors.ApiException;
import org.junit.jupiter.api.Test;

/** Which instance a log request reads (spec 15.2). */
class LogTargetTest {

    static PodStatus status(ContainerStatus c) {
        return new PodStatusBuilder().withContainerStatuses(c).build();
    }

    static ContainerStatusBuilder web() {
        return new ContainerStatusBuilder().withName("web");
    }

    static String message(PodStatus s, boolean previous) {
        try {
            LogTarget.containerId("p", s, "web", previous);
            return "no error";
        } catch (ApiException.BadRequest e) {
            return e.getMessage();
        }
    }

    @Test
    void waitingReasonsAreExplained() {
        assertThat(message(status(web().withNewState().withNewWaiting().withReason("ErrImagePull").endWaiting().endState().build()), false))
                .isEqualTo("container \"web\" in pod \"p\" is waiting to start: image can't be pulled");
        assertThat(message(status(web().withNewState().withNewWaiting().withReason("ImagePullBackOff").endWaiting().endState().build()), false))
                .isEqualTo("container \"web\" in pod \"p\" is waiting to start: trying and failing to pull image");
        assertThat(message(status(web().withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState().build()), false))
                .isEqualTo("container \"web\" in pod \"p\" is waiting to start: ContainerCreating");
        assertThat(message(status(web().build()), false))
                .isEqualTo("container \"web\" in pod \"p\" is waiting to start - no logs yet");
    }

    @Test
    void terminatedWithoutIdFallsBackToTheLastRunOrFails() {
        ContainerStatus failedStart = web().withNewState().withNewTerminated().withExitCode(128).endTerminated().endState()
                .withNewLastState().withNewTerminated().withContainerID("fake://a").endTerminated().endLastState().build();
        assertThat(LogTarget.containerId("p", status(failedStart), "web", false)).isEqualTo("fake://a");
        assertThat(LogTarget.containerId("p", status(failedStart), "web", true)).isEqualTo("fake://a");
        ContainerStatus never = web().withNewState().withNewTerminated().withExitCode(128).endTerminated().endState().build();
        assertThat(message(status(never), false)).isEqualTo("container \"web\" in pod \"p\" is terminated");
        assertThatThrownBy(() -> LogTarget.containerId("p", null, "web", false))
                .hasMessage("container \"web\" in pod \"p\" is not available");
    }
}
