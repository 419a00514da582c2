package io.podvisor.kubelet.scenarios;

import static io.podvisor.runtime.fake.ContainerScript.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.podvisor.core.TerminalSizes;
import io.podvisor.kubelet.harness.NodeHarness;
import io.podvisor.runtime.testing.GrowingOutput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl attach} and {@code run -i} through the kubelet, in virtual time: a container's
 * {@code stdin}/{@code stdinOnce} reach the runtime, an attached client's input reaches an open
 * stdin, {@code stdinOnce} closes it after the first client's input ended.
 */
class AttachScenariosTest {

    static String pod(String stdinFields) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: catter}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: cat
                    image: busybox
                    %s
                """.formatted(stdinFields);
    }

    /** Attaches on a thread of its own (an attach lasts as long as the container's output). */
    static CompletableFuture<Void> attach(NodeHarness h, String input, GrowingOutput screen, TerminalSizes sizes) {
        var pod = h.pod("catter");
        return CompletableFuture.runAsync(() -> {
            try {
                h.kubelet().streams().attach(pod, "cat",
                        input == null ? null : new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), screen,
                        screen, sizes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
    }

    @Test
    void stdinOnceEndsTheContainersInputWhenTheFirstClientsInputEnds() {
        NodeHarness h = new NodeHarness();
        h.script("cat", script().catStdin());
        h.apply(pod("stdin: true\n    stdinOnce: true"));
        h.advanceSeconds(2);
        assertThat(h.kubectl("catter")).contains("Running");

        GrowingOutput screen = new GrowingOutput();
        CompletableFuture<Void> attached = attach(h, "hello\n", screen, new TerminalSizes());
        await().atMost(Duration.ofSeconds(10)).until(() -> h.runtimeLog().stream().anyMatch(l -> l.endsWith("stdin closed cat")));
        h.advanceSeconds(2);

        assertThat(screen.text()).isEqualTo("hello\n");
        attached.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(h.kubectl("catter")).contains("Completed");
    }

    @Test
    void withoutStdinOnceTheAttachEndsWithTheClientsInputAndTheContainerKeepsItsStdin() {
        NodeHarness h = new NodeHarness();
        h.script("cat", script().catStdin());
        h.apply(pod("stdin: true"));
        h.advanceSeconds(2);

        GrowingOutput screen = new GrowingOutput();
        attach(h, "hello\n", screen, new TerminalSizes()).orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        h.advanceSeconds(30);

        assertThat(screen.text()).isEqualTo("hello\n");
        assertThat(h.kubectl("catter")).contains("Running");
        assertThat(h.runtimeLog()).noneMatch(l -> l.contains("stdin closed"));

        GrowingOutput second = new GrowingOutput(); // a later client's input still reaches the open stdin
        attach(h, "again\n", second, new TerminalSizes()).orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(second.text()).isEqualTo("again\n");
    }

    @Test
    void aContainerWithoutStdinReadsEndOfFileAtOnce() {
        NodeHarness h = new NodeHarness();
        h.script("cat", script().catStdin());
        h.apply(pod("command: [cat]"));
        h.advanceSeconds(2);

        assertThat(h.kubectl("catter")).contains("Completed");
    }

    @Test
    void aClientAttachedToAContainerWithoutStdinSeesItsOutputAndItsInputGoesNowhere() {
        NodeHarness h = new NodeHarness();
        h.script("cat", script().stdout(Duration.ofSeconds(5), "tick"));
        h.apply(pod("tty: true"));
        h.advanceSeconds(2);

        GrowingOutput screen = new GrowingOutput();
        TerminalSizes sizes = new TerminalSizes();
        sizes.resize(new TerminalSizes.Size(80, 24));
        CompletableFuture<Void> attached = attach(h, "ignored\n", screen, sizes);
        await().atMost(Duration.ofSeconds(10)).until(() -> h.runtimeLog().stream().anyMatch(l -> l.endsWith("resize cat 80x24")));
        h.advanceSeconds(5);

        assertThat(screen.text()).isEqualTo("tick\n");
        assertThat(attached).isNotDone();
        h.delete("catter", 0L);
        h.advanceSeconds(5);
        attached.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    }
}
