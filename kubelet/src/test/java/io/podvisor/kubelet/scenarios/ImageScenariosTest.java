package io.podvisor.kubelet.scenarios;

import static io.podvisor.kubelet.scenarios.PodViews.init;
import static io.podvisor.kubelet.scenarios.PodViews.main;
import static io.podvisor.kubelet.scenarios.PodViews.starts;
import static io.podvisor.kubelet.scenarios.PodViews.state;
import static io.podvisor.runtime.fake.ContainerScript.script;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.podvisor.kubelet.Labels;
import io.podvisor.kubelet.harness.NodeHarness;
import io.podvisor.runtime.fake.FakeImages;
import io.podvisor.runtime.image.RegistryAuth;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Images and pulls (spec §14, §2.6, §11.2–11.3): pull policies, pulls in virtual time, back-off, credentials. */
class ImageScenariosTest {

    static final String NOT_FOUND = "failed to pull and unpack image \"docker.io/library/nosuch:1\": failed to resolve "
            + "reference \"docker.io/library/nosuch:1\": docker.io/library/nosuch:1: not found";

    static String pod(String name, String image, String policy) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  containers:
                  - name: app
                    image: %s
                %s""".formatted(name, image, policy == null ? "" : "    imagePullPolicy: " + policy + "\n");
    }

    static FakeImages images(NodeHarness h) {
        return h.runtime().images();
    }

    /** Seconds since T0 at which each pull started. */
    static List<Long> pullStarts(NodeHarness h) {
        return images(h).pulls().stream().map(p -> Duration.between(NodeHarness.T0, p.started()).toSeconds()).toList();
    }

    @Test
    void ifNotPresentWithTheImagePresentDoesNotPull() {
        NodeHarness h = new NodeHarness();
        h.apply(pod("web", "nginx:1.27", null));
        assertThat(h.events("web")).containsExactly(
                "Normal Pulled Container image \"nginx:1.27\" already present on machine",
                "Normal Created Created container: app",
                "Normal Started Started container app");
        assertThat(images(h).pulls()).isEmpty();
        assertThat(main(h.pod("web"), "app").getImageID())
                .isEqualTo(images(h).status("nginx:1.27").orElseThrow().imageRef())
                .startsWith("docker.io/library/nginx@sha256:");
    }

    @Test
    void alwaysPullsAndTheContainerWaitsForThePull() {
        NodeHarness h = new NodeHarness();
        images(h).pullTakes("nginx", Duration.ofMillis(2500)).size("nginx", 62_958_873);
        h.apply(pod("web", "nginx", null));
        assertThat(h.pod("web").getSpec().getContainers().getFirst().getImagePullPolicy()).isEqualTo("Always");
        assertThat(h.kubectl("web")).isEqualTo("0/1 ContainerCreating 0");
        assertThat(h.events("web")).containsExactly("Normal Pulling Pulling image \"nginx\"");

        h.advance(Duration.ofMillis(2500));
        assertThat(h.events("web")).containsExactly(
                "Normal Pulling Pulling image \"nginx\"",
                "Normal Pulled Successfully pulled image \"nginx\" in 2.5s (2.5s including waiting). Image size: 62958873 bytes.",
                "Normal Created Created container: app",
                "Normal Started Started container app");
        assertThat(h.kubectl("web")).isEqualTo("1/1 Running 0");
        assertThat(images(h).pulls()).singleElement().satisfies(p -> {
            assertThat(p.reference()).isEqualTo("docker.io/library/nginx:latest");
            assertThat(p.auths()).isEmpty();
        });
        assertThat(main(h.pod("web"), "app").getImageID()).startsWith("docker.io/library/nginx@sha256:");
        // the runtime is told which image the kubelet found, for runtimes that report none themselves
        assertThat(h.recording().lastConfig("app").annotations().get(Labels.IMAGE_REF))
                .isEqualTo(main(h.pod("web"), "app").getImageID());
    }

    @Test
    void alwaysPullsOncePerStartAttempt() {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exitAfter(ofSeconds(5), 1));
        h.apply(pod("crash", "app", null));
        h.advanceSeconds(6); // exited at 5, restarted at once (no back-off yet), pulled again
        assertThat(pullStarts(h)).containsExactly(0L, 5L);
        assertThat(starts(h, "app")).containsExactly(0L, 5L);
        assertThat(h.events("crash", "Pulling")).containsExactly("2x Pulling image \"app\"");
    }

    @Test
    void neverWithTheImageAbsentIsErrImageNeverPull() {
        NodeHarness h = new NodeHarness();
        images(h).absent("app:1");
        h.apply(pod("never", "app:1", "Never"));
        h.advanceSeconds(1); // the relist that sees the new sandbox syncs and shows the failed start
        Pod p = h.pod("never");
        assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
        ContainerStatus app = main(p, "app");
        assertThat(state(app.getState())).isEqualTo("waiting ErrImageNeverPull");
        assertThat(app.getState().getWaiting().getMessage())
                .isEqualTo("Container image \"app:1\" is not present with pull policy of Never");
        assertThat(h.kubectl("never")).isEqualTo("0/1 ErrImageNeverPull 0");
        h.advanceSeconds(24); // looked at again by the first relist (1 s) and every 10 s
        assertThat(h.describeEvents("never")).containsExactly(
                "Warning ErrImageNeverPull 5s (x4 over 25s) Container image \"app:1\" is not present with pull policy of Never",
                "Warning Failed 5s (x4 over 25s) Error: ErrImageNeverPull");
        assertThat(images(h).pulls()).isEmpty();
    }

    @Test
    void anInvalidImageNameIsInvalidImageName() {
        NodeHarness h = new NodeHarness();
        h.apply(pod("bad", "Nginx:1.27", null));
        assertThat(h.events("bad")).containsExactly("Warning InspectFailed " + "Failed to apply default image tag \"Nginx:1.27\": "
                + "couldn't parse image name \"Nginx:1.27\": invalid reference format: repository name (library/Nginx) must be lowercase",
                "Warning Failed Error: InvalidImageName");
        h.advanceSeconds(1);
        ContainerStatus app = main(h.pod("bad"), "app");
        String message = "Failed to apply default image tag \"Nginx:1.27\": couldn't parse image name \"Nginx:1.27\": "
                + "invalid reference format: repository name (library/Nginx) must be lowercase";
        assertThat(state(app.getState())).isEqualTo("waiting InvalidImageName");
        assertThat(app.getState().getWaiting().getMessage()).isEqualTo(message);
        assertThat(h.kubectl("bad")).isEqualTo("0/1 InvalidImageName 0");
        assertThat(h.events("bad")).containsExactly("Warning InspectFailed " + message, "Warning Failed Error: InvalidImageName");
        assertThat(h.pod("bad").getStatus().getPhase()).isEqualTo("Pending");
    }

    @Test
    void aMissingImageAlternatesErrImagePullAndImagePullBackOffWithDoublingRetries() {
        NodeHarness h = new NodeHarness();
        images(h).missing("nosuch:1");
        h.apply(pod("ghost", "nosuch:1", null));
        assertThat(h.kubectl("ghost")).as("a sync shows what the one before did").isEqualTo("0/1 ContainerCreating 0");
        assertThat(h.events("ghost")).containsExactly(
                "Normal Pulling Pulling image \"nosuch:1\"",
                "Warning Failed Failed to pull image \"nosuch:1\": " + NOT_FOUND,
                "Warning Failed Error: ErrImagePull");
        h.advanceSeconds(1); // the first relist shows the failed pull; this sync finds the 10 s back-off
        ContainerStatus app = main(h.pod("ghost"), "app");
        assertThat(state(app.getState())).isEqualTo("waiting ErrImagePull");
        assertThat(app.getState().getWaiting().getMessage()).isEqualTo(NOT_FOUND);
        assertThat(h.kubectl("ghost")).isEqualTo("0/1 ErrImagePull 0");
        assertThat(h.pod("ghost").getStatus().getPhase()).isEqualTo("Pending");

        h.advanceSeconds(9); // the back-off ended: shown, and the second attempt made
        assertThat(h.kubectl("ghost")).isEqualTo("0/1 ImagePullBackOff 0");
        h.advanceSeconds(10); // in the 20 s back-off: the second attempt's error shown
        assertThat(h.kubectl("ghost")).isEqualTo("0/1 ErrImagePull 0");
        h.advanceSeconds(10); // the 20 s back-off shown, the third attempt made
        app = main(h.pod("ghost"), "app");
        assertThat(state(app.getState())).isEqualTo("waiting ImagePullBackOff");
        assertThat(app.getState().getWaiting().getMessage())
                .isEqualTo("Back-off pulling image \"nosuch:1\": ErrImagePull: " + NOT_FOUND);
        assertThat(h.kubectl("ghost")).isEqualTo("0/1 ImagePullBackOff 0");
        assertThat(h.pod("ghost").getStatus().getPhase()).isEqualTo("Pending");

        h.advanceSeconds(45); // t = 75; syncs in back-off at 1 (the first relist), 20, 40, 50, 60
        assertThat(h.describeEvents("ghost")).containsExactly(
                "Normal Pulling 5s (x4 over 75s) Pulling image \"nosuch:1\"",
                "Warning Failed 5s (x4 over 75s) Failed to pull image \"nosuch:1\": " + NOT_FOUND,
                "Warning Failed 5s (x4 over 75s) Error: ErrImagePull",
                "Normal BackOff 15s (x5 over 74s) Back-off pulling image \"nosuch:1\"",
                "Warning Failed 15s (x5 over 74s) Error: ImagePullBackOff");

        h.advanceSeconds(1000);
        // 10 s, 20 s, 40 s, 80 s, 160 s, then the 300 s cap
        assertThat(pullStarts(h)).containsExactly(0L, 10L, 30L, 70L, 150L, 310L, 610L, 910L);
        assertThat(images(h).pulls()).extracting(FakeImages.Pull::error).containsOnly(NOT_FOUND);
        assertThat(starts(h, "app")).isEmpty();
    }

    @Test
    void aPullThatSucceedsAfterFailuresStartsTheContainer() {
        NodeHarness h = new NodeHarness();
        images(h).absent("app:1").failFirst("app:1", 2, "failed to pull and unpack image \"docker.io/library/app:1\": "
                + "failed to copy: httpReadSeeker: failed open: unexpected status code 503 Service Unavailable");
        h.apply(pod("flaky", "app:1", null));
        h.advanceSeconds(1);
        assertThat(h.kubectl("flaky")).isEqualTo("0/1 ErrImagePull 0");
        h.advanceSeconds(9);
        assertThat(h.kubectl("flaky")).isEqualTo("0/1 ImagePullBackOff 0");
        h.advanceSeconds(19);
        assertThat(h.kubectl("flaky")).isEqualTo("0/1 ErrImagePull 0");
        h.advanceSeconds(1);
        assertThat(pullStarts(h)).containsExactly(0L, 10L, 30L);
        assertThat(starts(h, "app")).containsExactly(30L);
        assertThat(h.kubectl("flaky")).isEqualTo("1/1 Running 0");
        assertThat(h.events("flaky", "Pulled")).containsExactly(
                "1x Successfully pulled image \"app:1\" in 0s (0s including waiting). Image size: 4194304 bytes.");
        assertThat(main(h.pod("flaky"), "app").getState().getWaiting()).isNull();
    }

    @Test
    void twoPodsNeedingOneImageCauseOnePullAndTheSecondCountsItsWait() {
        NodeHarness h = new NodeHarness();
        images(h).absent("big:1").pullTakes("big:1", ofSeconds(5));
        h.apply(pod("first", "big:1", null));
        h.apply(pod("second", "big:1", null));
        h.advanceSeconds(3);
        assertThat(h.kubectl("first")).isEqualTo("0/1 ContainerCreating 0");
        assertThat(h.kubectl("second")).isEqualTo("0/1 ContainerCreating 0");
        assertThat(images(h).pulls()).hasSize(1);

        h.advanceSeconds(7);
        assertThat(pullStarts(h)).as("the queued IfNotPresent pull finds the image present").containsExactly(0L);
        assertThat(starts(h, "app")).containsExactly(5L, 5L);
        assertThat(h.events("first", "Pulled")).containsExactly(
                "1x Successfully pulled image \"big:1\" in 5s (5s including waiting). Image size: 4194304 bytes.");
        assertThat(h.events("second", "Pulled")).containsExactly(
                "1x Successfully pulled image \"big:1\" in 0s (5s including waiting). Image size: 4194304 bytes.");
    }

    @Test
    void alwaysPullsOfTwoPodsRunOneAfterTheOther() {
        NodeHarness h = new NodeHarness();
        images(h).absent("big:latest").pullTakes("big:latest", ofSeconds(5));
        h.apply(pod("first", "big:latest", null));
        h.apply(pod("second", "big:latest", null));
        h.advanceSeconds(10);
        assertThat(pullStarts(h)).containsExactly(0L, 5L);
        assertThat(images(h).maxConcurrentPulls()).isEqualTo(1);
        assertThat(starts(h, "app")).containsExactly(5L, 10L);
        assertThat(h.events("second", "Pulled")).containsExactly(
                "1x Successfully pulled image \"big:latest\" in 5s (10s including waiting). Image size: 4194304 bytes.");
    }

    @Test
    void pullSecretsGiveTheRegistrysCredentialsAndAMissingOneIsAWarning() {
        NodeHarness h = new NodeHarness();
        String app = "registry.example.com:5000/team/app:1";
        images(h).absent(app, "busybox:1.36").requireAuth(app, "bob", "s3cret");
        h.cluster().put(new SecretBuilder().withNewMetadata().withName("regcred").endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .withData(Map.of(".dockerconfigjson", b64("""
                        {"auths": {"https://registry.example.com:5000/v2/": {"auth": "%s"},
                                   "other.example.com": {"username": "x", "password": "y"}}}""".formatted(b64("bob:s3cret")))))
                .build());
        h.cluster().put(new SecretBuilder().withNewMetadata().withName("hub").endMetadata()
                .withType("kubernetes.io/dockercfg")
                .withData(Map.of(".dockercfg", b64("""
                        {"https://index.docker.io/v1/": {"username": "hubuser", "password": "hubpass"}}""")))
                .build());
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: private}
                spec:
                  imagePullSecrets: [{name: regcred}, {name: gone}, {name: hub}]
                  containers:
                  - name: app
                    image: %s
                  - name: tools
                    image: busybox:1.36
                """.formatted(app));
        assertThat(h.kubectl("private")).isEqualTo("2/2 Running 0");
        assertThat(images(h).pulls()).extracting(FakeImages.Pull::reference, FakeImages.Pull::auths).containsExactly(
                org.assertj.core.groups.Tuple.tuple(app, List.of(new RegistryAuth("bob", "s3cret", ""))),
                org.assertj.core.groups.Tuple.tuple("docker.io/library/busybox:1.36", List.of(new RegistryAuth("hubuser", "hubpass", ""))));
        assertThat(h.events("private", "FailedToRetrieveImagePullSecret")).containsExactly(
                "1x Unable to retrieve some image pull secrets (gone); attempting to pull the image may not succeed.");
        assertThat(h.eventObjects("private").stream().filter(e -> e.getReason().equals("FailedToRetrieveImagePullSecret")))
                .singleElement().satisfies(e -> {
                    assertThat(e.getType()).isEqualTo("Warning");
                    assertThat(e.getInvolvedObject().getFieldPath()).isNull();
                });
    }

    @Test
    void withoutTheSecretThePrivatePullIsDenied() {
        NodeHarness h = new NodeHarness();
        String app = "registry.example.com/team/app:1";
        images(h).absent(app).requireAuth(app, "bob", "s3cret");
        h.apply(pod("denied", app, null));
        h.advanceSeconds(1);
        assertThat(h.kubectl("denied")).isEqualTo("0/1 ErrImagePull 0");
        assertThat(main(h.pod("denied"), "app").getState().getWaiting().getMessage()).contains("pull access denied");
        assertThat(images(h).pulls()).singleElement().satisfies(p -> assertThat(p.auths()).isEmpty());
    }

    @Test
    void anInitContainersImageFailureShowsInTheInitStatus() {
        NodeHarness h = new NodeHarness();
        images(h).missing("nosuch:1");
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: blocked}
                spec:
                  initContainers:
                  - name: setup
                    image: nosuch:1
                  containers:
                  - name: app
                    image: app:1.0
                """);
        assertThat(h.kubectl("blocked")).isEqualTo("0/1 Init:0/1 0");
        h.advanceSeconds(1);
        assertThat(h.kubectl("blocked")).isEqualTo("0/1 Init:ErrImagePull 0");
        assertThat(state(init(h.pod("blocked"), "setup").getState())).isEqualTo("waiting ErrImagePull");
        assertThat(state(main(h.pod("blocked"), "app").getState())).isEqualTo("waiting PodInitializing");
        h.advanceSeconds(9);
        assertThat(h.kubectl("blocked")).isEqualTo("0/1 Init:ImagePullBackOff 0");
        h.advanceSeconds(10);
        assertThat(h.pod("blocked").getStatus().getPhase()).isEqualTo("Pending");
        assertThat(starts(h, "app")).isEmpty();
        assertThat(pullStarts(h)).containsExactly(0L, 10L);
    }

    @Test
    void aPullStillRunningWhenThePodIsDeletedIsForgotten() {
        NodeHarness h = new NodeHarness();
        images(h).absent("big:1").pullTakes("big:1", ofSeconds(30));
        h.apply(pod("gone", "big:1", null));
        h.delete("gone");
        assertThat(h.pod("gone")).isNull();
        h.advanceSeconds(31);
        assertThat(starts(h, "app")).isEmpty();
        assertThat(h.events("gone", "Pulled")).isEmpty();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
