package io.podvisor.cli.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.runtime.fake.ContainerScript;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Owner references carried out by the garbage collector for each propagation policy, with the
 * API server (registry), the controllers and the kubelet together: a Job and its running pods, and
 * dependents with more than one owner.
 */
class GarbageCollectionScenarioTest {

    private static final String JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: crunch
            spec:
              parallelism: 2
              completions: 2
              template:
                spec:
                  restartPolicy: Never
                  terminationGracePeriodSeconds: 30
                  containers:
                  - name: work
                    image: busybox
            """;

    private final ClusterHarness h = new ClusterHarness();

    @AfterEach
    void close() {
        h.close();
    }

    private static DeleteOptions propagation(String policy) {
        DeleteOptions o = new DeleteOptions();
        o.setPropagationPolicy(policy);
        return o;
    }

    /** Two running pods of the Job; each stops 4 s after its SIGTERM. */
    private List<String> runningJob() {
        h.script("work", ContainerScript.runForever().exitOnSigterm(Duration.ofSeconds(4), 0));
        h.apply(JOB);
        h.advanceSeconds(5);
        assertThat(h.jobPods("crunch")).hasSize(2);
        return h.jobPods("crunch").stream().map(p -> p.getMetadata().getName()).toList();
    }

    private HasMetadata configMap(String name, HasMetadata... owners) {
        StringBuilder refs = new StringBuilder();
        for (HasMetadata o : owners) {
            refs.append("\n  - {apiVersion: v1, kind: ConfigMap, name: %s, uid: %s, blockOwnerDeletion: true}"
                    .formatted(o.getMetadata().getName(), o.getMetadata().getUid()));
        }
        return h.apply("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name
                + (owners.length == 0 ? "" : "\n  ownerReferences:" + refs));
    }

    private ConfigMap cm(String name) {
        return h.api().get(ConfigMap.class, ClusterHarness.NAMESPACE, name);
    }

    private static List<String> ownerNames(HasMetadata o) {
        return o.getMetadata().getOwnerReferences().stream().map(OwnerReference::getName).toList();
    }

    @Test
    void foregroundKeepsTheJobUntilItsPodsAreGone() {
        List<String> pods = runningJob();

        assertThat(h.delete(ResourceTypes.JOBS, "crunch", propagation("Foreground"))).isFalse();
        Job deleting = h.job("crunch");
        assertThat(deleting.getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
        assertThat(deleting.getMetadata().getDeletionTimestamp()).isEqualTo("2026-01-01T00:00:05Z");
        assertThat(pods).allSatisfy(p -> assertThat(h.pod(p).getMetadata().getDeletionTimestamp()).isNotNull());

        h.advanceSeconds(3);
        assertThat(h.job("crunch")).as("waits for its terminating pods").isNotNull();
        assertThat(h.kubectlGet("pods")).hasSize(2).allSatisfy(r -> assertThat(r).contains("Terminating"));

        h.advanceSeconds(2);
        assertThat(h.kubectlGet("pods")).isEmpty();
        assertThat(h.job("crunch")).isNull();
    }

    @Test
    void aJobDeletedWithoutPolicyOrphansItsPodsAsBatchV1Does() {
        runningJob();

        h.delete(ResourceTypes.JOBS, "crunch", new DeleteOptions());
        h.advanceSeconds(5);
        assertThat(h.job("crunch")).isNull();
        assertThat(h.kubectlGet("pods")).hasSize(2).allSatisfy(r -> assertThat(r).contains("Running"));
    }

    @Test
    void aDependentWithTwoOwnersOutlivesTheFirstAndGoesWithTheLast() {
        HasMetadata a = configMap("a");
        HasMetadata b = configMap("b");
        configMap("shared", a, b);

        h.delete(ResourceTypes.CONFIGMAPS, "a");
        assertThat(cm("a")).isNull();
        assertThat(ownerNames(cm("shared"))).containsExactly("b");

        h.delete(ResourceTypes.CONFIGMAPS, "b");
        assertThat(cm("shared")).isNull();
    }

    @Test
    void aForegroundOwnerDoesNotTakeADependentThatHasAnotherOwner() {
        HasMetadata a = configMap("a");
        HasMetadata b = configMap("b");
        configMap("shared", a, b);
        configMap("own", a);

        h.delete(ResourceTypes.CONFIGMAPS, "a", propagation("Foreground"));
        assertThat(cm("a")).isNull();
        assertThat(cm("own")).isNull();
        assertThat(ownerNames(cm("shared"))).containsExactly("b");
    }

    @Test
    void orphaningOneOwnerLeavesTheOtherReference() {
        HasMetadata a = configMap("a");
        HasMetadata b = configMap("b");
        configMap("shared", a, b);

        h.delete(ResourceTypes.CONFIGMAPS, "a", propagation("Orphan"));
        assertThat(cm("a")).isNull();
        assertThat(ownerNames(cm("shared"))).containsExactly("b");
        h.delete(ResourceTypes.CONFIGMAPS, "b", propagation("Orphan"));
        assertThat(cm("shared").getMetadata().getOwnerReferences()).isEmpty();
    }

    @Test
    void foregroundDeletesAChainOfDependentsBottomUp() {
        HasMetadata top = configMap("top");
        HasMetadata middle = configMap("middle", top);
        configMap("leaf", middle);

        h.delete(ResourceTypes.CONFIGMAPS, "top", propagation("Foreground"));
        assertThat(cm("top")).isNull();
        assertThat(cm("middle")).isNull();
        assertThat(cm("leaf")).isNull();
    }

    /** Gives {@code name} a blocking reference to {@code owner} (to close a cycle). */
    private void own(String name, HasMetadata owner) {
        ConfigMap o = cm(name);
        o.getMetadata().getOwnerReferences().add(new OwnerReference("v1", true, true, "ConfigMap",
                owner.getMetadata().getName(), owner.getMetadata().getUid()));
        h.api().update(o);
        h.runUntilIdle();
    }

    /** The cycle's ConfigMaps still there, each with its finalizers. */
    private List<String> configMapsLeft() {
        return h.api().list(ConfigMap.class, ClusterHarness.NAMESPACE, null, null).stream()
                .filter(c -> List.of("a", "b", "c").contains(c.getMetadata().getName()))
                .map(c -> c.getMetadata().getName() + " " + c.getMetadata().getFinalizers()).toList();
    }

    /**
     * Makes a cycle of ConfigMaps, each owning the next and the last owning the first (all
     * blocking), deletes the first in the foreground and gives the collector a few seconds.
     */
    private void deleteCycleInTheForeground(String... names) {
        HasMetadata previous = configMap(names[0]);
        HasMetadata first = previous;
        for (int i = 1; i < names.length; i++) {
            previous = configMap(names[i], previous);
        }
        own(first.getMetadata().getName(), previous);

        h.delete(ResourceTypes.CONFIGMAPS, names[0], propagation("Foreground"));
        h.advanceSeconds(5);
    }

    @Test
    void foregroundDeletionOfATwoObjectCycleRemovesBoth() {
        deleteCycleInTheForeground("a", "b");
        assertThat(configMapsLeft()).isEmpty();
    }

    @Test
    void foregroundDeletionOfAThreeObjectCycleRemovesAll() {
        deleteCycleInTheForeground("a", "b", "c");
        assertThat(configMapsLeft()).isEmpty();
    }

    @Test
    void onlyDependentsThatBlockOwnerDeletionHoldAForegroundOwner() {
        h.script("app", ContainerScript.runForever().exitOnSigterm(Duration.ofSeconds(4), 0));
        HasMetadata owner = configMap("owner");
        String pod = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: %s, uid: %s, blockOwnerDeletion: %s}]
                spec: {containers: [{name: app, image: nginx}]}
                """;
        h.apply(pod.formatted("loose", "owner", owner.getMetadata().getUid(), false));
        h.advanceSeconds(2);

        h.delete(ResourceTypes.CONFIGMAPS, "owner", propagation("Foreground"));
        assertThat(cm("owner")).as("a non-blocking dependent does not hold it").isNull();
        assertThat(h.pod("loose").getMetadata().getDeletionTimestamp()).isNotNull();

        HasMetadata second = configMap("second");
        h.apply(pod.formatted("tight", "second", second.getMetadata().getUid(), true));
        h.advanceSeconds(2);
        h.delete(ResourceTypes.CONFIGMAPS, "second", propagation("Foreground"));
        assertThat(cm("second").getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
        h.advanceSeconds(5);
        assertThat(h.pod("tight")).isNull();
        assertThat(cm("second")).isNull();
    }

    @Test
    void deletingAJobDeletesItsPods() {
        h.script("work", ContainerScript.runForever());
        h.apply(JOB);
        h.advanceSeconds(5);
        assertThat(h.jobPods("crunch")).hasSize(2);
        assertThat(h.kubectlGet("pods")).allSatisfy(r -> assertThat(r).matches("crunch-[a-z0-9]{5} 1/1 Running 0 5s"));

        assertThat(h.delete(ResourceTypes.JOBS, "crunch")).as("background: the Job goes at once").isTrue();
        h.runUntilIdle();
        assertThat(h.kubectlGet("pods")).allSatisfy(r -> assertThat(r).matches("crunch-[a-z0-9]{5} 1/1 Terminating 0 5s"));

        h.advanceSeconds(2);
        assertThat(h.job("crunch")).isNull();
        assertThat(h.kubectlGet("pods")).isEmpty();
        assertThat(h.runtimeLog()).filteredOn(l -> l.contains("SIGTERM work")).hasSize(2);
    }

    @Test
    void orphaningDeleteLeavesThePodsRunningWithoutOwner() {
        h.script("work", ContainerScript.runForever());
        h.apply(JOB);
        h.advanceSeconds(5);

        assertThat(h.delete(ResourceTypes.JOBS, "crunch", propagation("Orphan"))).as("marked with the orphan finalizer").isFalse();
        assertThat(h.job("crunch")).as("gone once the collector released its pods").isNull();
        h.advanceSeconds(5);

        assertThat(h.job("crunch")).isNull();
        assertThat(h.kubectlGet("pods")).hasSize(2)
                .allSatisfy(r -> assertThat(r).matches("crunch-[a-z0-9]{5} 1/1 Running 0 10s"));
        assertThat(h.jobPods("crunch")).allSatisfy(p -> {
            assertThat(p.getMetadata().getOwnerReferences()).isEmpty();
            assertThat(p.getMetadata().getFinalizers()).isEmpty();
        });

        // without the Job's tracking finalizer an orphan is deleted like any pod
        String first = h.jobPods("crunch").getFirst().getMetadata().getName();
        h.delete(ResourceTypes.PODS, first);
        h.advanceSeconds(1);
        assertThat(h.pod(first)).isNull();
    }
}
