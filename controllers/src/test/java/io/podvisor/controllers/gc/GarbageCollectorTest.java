package io.podvisor.controllers.gc;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.podvisor.api.Times;
import io.podvisor.api.Yaml;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.controllers.CountingClient;
import io.podvisor.controllers.TestCluster;
import io.podvisor.controllers.job.JobController;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {

    private TestCluster c;

    @BeforeEach
    void setUp() {
        c = new TestCluster();
        new GarbageCollector(c.api, c.informers, c.clock, c.executor).start();
        c.startInformers();
    }

    private Job job(String name) {
        return c.apply("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: %s, namespace: default}
                spec: {template: {spec: {restartPolicy: Never, containers: [{name: a, image: x}]}}}
                """.formatted(name), Job.class);
    }

    @Test
    void deletesThePodsOfADeletedJob() {
        new JobController(c.api, c.informers, c.clock, c.executor, c.events, c.random).start();
        c.startInformers();
        c.apply("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: work, namespace: default}
                spec:
                  parallelism: 2
                  completions: 4
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: main, image: busybox}]
                """, Job.class);
        assertThat(c.pods()).hasSize(2);
        String running = c.podNames().getFirst();
        c.run(running, "node-1", "10.0.0.1", true);

        c.api.delete(Job.class, "default", "work", null);
        c.settle();
        assertThat(c.podNames()).as("the unbound pod goes at once; the running one terminates").containsExactly(running);
        assertThat(c.pod(running).getMetadata().getDeletionTimestamp()).as("now + the pod's default grace of 30 s")
                .isEqualTo(Times.format(c.clock.now().plusSeconds(30)));
        assertThat(c.pod(running).getMetadata().getFinalizers()).as("tracking finalizer released").isEmpty();

        c.terminate(running);
        assertThat(c.pods()).isEmpty();
    }

    @Test
    void sweepDeletesDependentsOfOwnersThatNeverExistedAndKeepsLiveOnes() {
        c.apply("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: orphan
                  namespace: default
                  ownerReferences: [{apiVersion: batch/v1, kind: Job, name: gone, uid: no-such-uid}]
                spec: {containers: [{name: a, image: x}]}
                """, Pod.class);
        Job owner = job("alive");
        c.apply("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: child
                  namespace: default
                  ownerReferences:
                  - {apiVersion: batch/v1, kind: Job, name: alive, uid: %s}
                  - {apiVersion: batch/v1, kind: Job, name: gone, uid: no-such-uid}
                spec: {containers: [{name: a, image: x}]}
                """.formatted(owner.getMetadata().getUid()), Pod.class);
        c.settle();
        assertThat(c.podNames()).containsExactly("child");
        assertThat(c.pod("child").getMetadata().getOwnerReferences()).singleElement()
                .satisfies(r -> assertThat(r.getName()).isEqualTo("alive"));
    }

    @Test
    void referencesThatNameNoOwnerAreDanglingAndNeverDelayOthers() {
        Pod bad = Yaml.read("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: bad
                  namespace: default
                  ownerReferences: [{apiVersion: batch/v1, kind: Job, name: gone}]
                spec: {containers: [{name: a, image: x}]}
                """, Pod.class);
        bad.getMetadata().getOwnerReferences().add(null);
        // the API refuses such references (no uid); the collector still meets them in objects stored before it did
        c.storeUnchecked(bad);
        Job owner = job("owner");
        c.apply("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: child
                  namespace: default
                  ownerReferences: [{apiVersion: batch/v1, kind: Job, name: owner, uid: %s}]
                spec: {containers: [{name: a, image: x}]}
                """.formatted(owner.getMetadata().getUid()), Pod.class);
        c.settle();
        assertThat(c.podNames()).as("the pod whose references name no owner is collected").containsExactly("child");

        c.api.delete(Job.class, "default", "owner", null);
        c.settle();
        assertThat(c.podNames()).as("collected at once, without waiting for a sweep").isEmpty();
    }

    @Test
    void seesObjectsThroughTheSharedInformersAndAnOwnerDeletedDuringAReListStillTakesItsDependents() {
        TestCluster t = new TestCluster();
        CountingClient counting = new CountingClient(t.api);
        SharedInformerFactory informers = new SharedInformerFactory(counting.client(), t.clock, t.executor, Duration.ZERO);
        new GarbageCollector(counting.client(), informers, t.clock, t.executor).start();
        informers.start();
        Job owner = t.apply("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: boss, namespace: default}
                spec: {template: {spec: {restartPolicy: Never, containers: [{name: a, image: x}]}}}
                """, Job.class);
        t.apply("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: child
                  namespace: default
                  ownerReferences: [{apiVersion: batch/v1, kind: Job, name: boss, uid: %s}]
                spec: {containers: [{name: a, image: x}]}
                """.formatted(owner.getMetadata().getUid()), Pod.class);
        t.settle();
        assertThat(t.podNames()).containsExactly("child");
        assertThat(counting.count("watch")).as("no watch of its own").isZero();

        t.watches.expireWatches();
        t.api.delete(Job.class, "default", "boss", null);
        t.settle();
        assertThat(t.podNames()).as("the re-list shows the owner gone; no sweep needed").isEmpty();
    }
}
