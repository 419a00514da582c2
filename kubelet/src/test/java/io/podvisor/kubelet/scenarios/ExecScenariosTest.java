package io.podvisor.kubelet.scenarios;

import static io.podvisor.runtime.fake.ContainerScript.script;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.errors.ApiException;
import io.podvisor.kubelet.harness.NodeHarness;
import io.podvisor.runtime.ExecResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code kubectl exec} through the kubelet, in virtual time. */
class ExecScenariosTest {

    static final String PODS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              restartPolicy: Never
              containers:
              - name: web
                image: nginx
              - name: job
                image: busybox
            """;

    record Run(int code, String out) {}

    static Run exec(NodeHarness h, String container, String... command) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = h.kubelet().streams().exec(h.pod("web"), container, List.of(command), null, out,
                new ByteArrayOutputStream(), false);
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runsTheCommandInTheRunningContainerAndReturnsItsOutputAndExitCode() throws Exception {
        NodeHarness h = new NodeHarness();
        h.script("web", script()
                .exec(List.of("cat", "/etc/hostname"), t -> ExecResult.exited(0, "web\n"))
                .exec(List.of("sh", "-c"), t -> ExecResult.exited(3, "up " + t.toSeconds() + "s\n")));
        h.apply(PODS);
        h.advanceSeconds(7);

        assertThat(exec(h, "web", "cat", "/etc/hostname")).isEqualTo(new Run(0, "web\n"));
        assertThat(exec(h, "web", "sh", "-c", "uptime; exit 3")).isEqualTo(new Run(3, "up 7s\n"));
    }

    @Test
    void interactiveExecHandsTheClientsStreamsToTheRuntime() throws Exception {
        NodeHarness h = new NodeHarness();
        h.recording().onExec((command, io) -> {
            String in = new String(io.stdin().readAllBytes(), StandardCharsets.UTF_8);
            io.stdout().write(in.toUpperCase().getBytes(StandardCharsets.UTF_8));
            io.stderr().write("done\n".getBytes(StandardCharsets.UTF_8));
            return 5;
        });
        h.apply(PODS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = h.kubelet().streams().exec(h.pod("web"), "web", List.of("tr", "a-z", "A-Z"),
                new java.io.ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8)), out, err, true);

        assertThat(code).isEqualTo(5);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("HELLO\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("done\n");
        assertThat(h.recording().execs()).containsExactly("tr a-z A-Z | tty=true");
    }

    @Test
    void aContainerThatIsNotRunningOrNotInThePodIsABadRequest() {
        NodeHarness h = new NodeHarness();
        h.script("job", script().exitAfter(ofSeconds(1), 0));
        h.apply(PODS);
        h.advanceSeconds(2);

        assertThatThrownBy(() -> exec(h, "job", "ls")).isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("container not found (\"job\")");
        assertThatThrownBy(() -> exec(h, "nope", "ls")).isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("container nope is not valid for pod web");
    }

    @Test
    void aPodThatDoesNotRunOnThisNodeIsNotFound() {
        NodeHarness h = new NodeHarness();
        h.apply(PODS);
        Pod other = h.pod("web");
        other.getMetadata().setUid("elsewhere");
        assertThatThrownBy(() -> h.kubelet().streams().exec(other, "web", List.of("ls"), null,
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), false))
                .isInstanceOf(ApiException.NotFound.class).hasMessage("pods \"web\" not found");
    }
}
