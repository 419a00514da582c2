package io.podvisor.runtime.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podvisor.core.FakeClock;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.image.ImageInfo;
import io.podvisor.runtime.image.PullProgress;
import io.podvisor.runtime.image.RegistryAuth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FakeImagesTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final FakeClock clock = new FakeClock(T0);
    final FakeImages images = new FakeImages(clock);

    @Test
    void byDefaultEveryImageIsPresentAndPullsCompleteAtOnce() throws Exception {
        assertThat(images.status("nginx")).get().satisfies(i -> {
            assertThat(i.repoTags()).containsExactly("docker.io/library/nginx:latest");
            assertThat(i.imageRef()).startsWith("docker.io/library/nginx@sha256:");
            assertThat(i.size()).isEqualTo(FakeImages.DEFAULT_SIZE);
        });
        CompletableFuture<ImageInfo> pull = images.pull("nginx:1.27", List.of(), PullProgress.NONE).toCompletableFuture();
        assertThat(pull).isDone();
        assertThat(pull.get().repoTags()).containsExactly("docker.io/library/nginx:1.27");
        assertThat(images.pulls()).singleElement().satisfies(p -> {
            assertThat(p.reference()).isEqualTo("docker.io/library/nginx:1.27");
            assertThat(p.started()).isEqualTo(T0);
            assertThat(p.finished()).isEqualTo(T0);
            assertThat(p.error()).isNull();
        });
    }

    @Test
    void anEmptyNodeHasOnlyWhatIsPresentOrPulled() {
        images.startEmpty().present("busybox:1.36");
        assertThat(images.status("docker.io/library/busybox:1.36")).isPresent();
        assertThat(images.status("nginx")).isEmpty();
        images.pull("nginx", List.of(), PullProgress.NONE);
        assertThat(images.status("docker.io/library/nginx:latest")).isPresent();
        assertThat(images.list()).extracting(i -> i.repoTags().getFirst())
                .containsExactly("docker.io/library/busybox:1.36", "docker.io/library/nginx:latest");
    }

    @Test
    void missingImagesFailWithContainerdsNotFound() {
        images.missing("nosuch:1");
        assertThat(images.status("nosuch:1")).isEmpty();
        var pull = images.pull("nosuch:1", List.of(), PullProgress.NONE).toCompletableFuture();
        assertThatThrownBy(pull::get).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(RuntimeFailure.class)
                .hasMessage("failed to pull and unpack image \"docker.io/library/nosuch:1\": failed to resolve reference "
                        + "\"docker.io/library/nosuch:1\": docker.io/library/nosuch:1: not found");
        assertThat(images.pulls().getFirst().error()).endsWith(": not found");
    }

    @Test
    void pullsTakeScriptedVirtualTimeAndOverlapsAreCounted() {
        images.startEmpty().pullTakes("app:1", Duration.ofSeconds(5));
        var first = images.pull("app:1", List.of(), PullProgress.NONE).toCompletableFuture();
        var second = images.pull("app:1", List.of(), PullProgress.NONE).toCompletableFuture();
        assertThat(first).isNotDone();
        assertThat(images.status("app:1")).isEmpty();
        clock.advance(Duration.ofSeconds(5));
        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(images.maxConcurrentPulls()).isEqualTo(2);
        assertThat(images.pulls()).extracting(FakeImages.Pull::finished).containsOnly(T0.plusSeconds(5));
    }

    @Test
    void theFirstAttemptsFailThenPullsSucceed() {
        images.absent("app:1").failFirst("app:1", 2, "boom");
        for (int i = 0; i < 2; i++) {
            assertThat(images.pull("app:1", List.of(), PullProgress.NONE).toCompletableFuture()).isCompletedExceptionally();
        }
        assertThat(images.pull("app:1", List.of(), PullProgress.NONE).toCompletableFuture()).isCompleted();
        assertThat(images.pulls()).extracting(FakeImages.Pull::error).containsExactly("boom", "boom", null);
    }

    @Test
    void requiredCredentialsMustBeAmongThoseGiven() {
        images.absent("registry.example.com/team/app:1").requireAuth("registry.example.com/team/app:1", "bob", "pw");
        var anonymous = images.pull("registry.example.com/team/app:1", List.of(), PullProgress.NONE).toCompletableFuture();
        assertThat(anonymous).isCompletedExceptionally();
        var wrongThenRight = images.pull("registry.example.com/team/app:1",
                List.of(new RegistryAuth("alice", "x", ""), new RegistryAuth("bob", "pw", "")), PullProgress.NONE);
        assertThat(wrongThenRight.toCompletableFuture()).isCompleted();
        assertThat(images.pulls().get(1).auths()).extracting(RegistryAuth::username).containsExactly("alice", "bob");
    }

    @Test
    void containersShowThePresentImagesReferenceAsImageId() throws Exception {
        FakeRuntime rt = new FakeRuntime(clock);
        var sb = rt.runSandbox(new io.podvisor.runtime.SandboxConfig("p", "p", false, java.util.Map.of(),
                java.util.Map.of(), "", "uid", null));
        String id = rt.createContainer(sb.id(), new io.podvisor.runtime.ContainerConfig("c", 0, "busybox:1.36",
                List.of(), List.of(), java.util.Map.of(), "", "", null, java.util.Map.of(), java.util.Map.of()));
        assertThat(rt.listContainers(java.util.Map.of())).singleElement()
                .satisfies(c -> assertThat(c.imageRef()).isEqualTo(rt.images().status("busybox:1.36").orElseThrow().imageRef()));
        assertThat(id).isNotEmpty();
    }
}
