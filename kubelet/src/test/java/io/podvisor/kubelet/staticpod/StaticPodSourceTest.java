package io.podvisor.kubelet.staticpod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.core.FakeClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticPodSourceTest {

    @TempDir
    Path dir;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final FakeClock clock = new FakeClock(T0);
    final List<String> events = new ArrayList<>();
    static String pod(String name, String image) {
        return "kind: Pod\nmetadata: {name: " + name + "}\nspec:\n  containers:\n  - {name: c, image: " + image + "}\n";
    }

    StaticPodSource sourceIn(Path d) {
        return new StaticPodSource(d, "n", clock, Duration.ofSeconds(20), new StaticPodSource.Listener() {
            @Override
            public void added(Pod pod) {
                events.add((clock.now().getEpochSecond() - T0.getEpochSecond()) + " + " + pod.getMetadata().getName() + " "
                        + pod.getSpec().getContainers().getFirst().getImage());
            }

            @Override
            public void removed(Pod pod) {
                events.add((clock.now().getEpochSecond() - T0.getEpochSecond()) + " - " + pod.getMetadata().getName() + " "
                        + pod.getSpec().getContainers().getFirst().getImage());
            }
        });
    }

    @Test
    void readsManifestFilesIgnoringHiddenOtherAndBadOnes() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), pod("a", "nginx"));
        Files.writeString(dir.resolve("b.json"), "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"b\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x\"}]}}");
        Files.writeString(dir.resolve(".c.yaml"), pod("c", "nginx"));
        Files.writeString(dir.resolve("d.txt"), pod("d", "nginx"));
        Files.writeString(dir.resolve("e.yml"), "kind: Pod\nmetadata: [oops");
        Files.createDirectories(dir.resolve("f.yaml"));
        StaticPodSource s = sourceIn(dir);
        s.start();
        assertThat(events).containsExactly("0 + a-n nginx", "0 + b-n x");
        assertThat(s.problems()).singleElement().asString().startsWith("e.yml: ");
    }

    @Test
    void rescansOnTheClockAndReportsEditsAsRemovalThenAddition() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), pod("a", "nginx"));
        StaticPodSource s = sourceIn(dir);
        s.start();
        Files.writeString(dir.resolve("a.yaml"), pod("a", "httpd"));
        Files.writeString(dir.resolve("b.yaml"), pod("b", "redis"));
        clock.advance(Duration.ofSeconds(19));
        assertThat(events).containsExactly("0 + a-n nginx");
        clock.advance(Duration.ofSeconds(1));
        assertThat(events).containsExactly("0 + a-n nginx", "20 - a-n nginx", "20 + a-n httpd", "20 + b-n redis");
        clock.advance(Duration.ofSeconds(40));
        assertThat(events).hasSize(4);
        Files.delete(dir.resolve("b.yaml"));
        clock.advance(Duration.ofSeconds(20));
        assertThat(events).last().isEqualTo("80 - b-n redis");
        assertThat(s.pods()).extracting(p -> p.getMetadata().getName()).containsExactly("a-n");
    }

    @Test
    void aMissingDirectoryHasNoPodsAndStopEndsTheRescans() throws IOException {
        StaticPodSource s = sourceIn(dir.resolve("missing"));
        s.start();
        s.stop();
        Files.createDirectories(dir.resolve("missing"));
        Files.writeString(dir.resolve("missing/a.yaml"), pod("a", "nginx"));
        clock.advance(Duration.ofSeconds(60));
        assertThat(events).isEmpty();
        assertThat(clock.pendingTimers()).isZero();
    }
}
