package io.podvisor.kubelet.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.kubelet.harness.NodeHarness;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A pod sync that fails is logged with its cause and the pod's key, once while the failure stays the same. */
class SyncFailureLogTest {

    private final Logger jul = Logger.getLogger("io.podvisor.kubelet.PodWorker");
    private final List<String> logged = new CopyOnWriteArrayList<>();

    @BeforeEach
    void record() {
        jul.setFilter(r -> {
            logged.add(r.getLevel() + " " + r.getMessage());
            return false;
        });
    }

    @AfterEach
    void stopRecording() {
        jul.setFilter(null);
    }

    @Test
    void aContainerThatCannotBeConfiguredIsLoggedWithThePodsKeyOnce() {
        NodeHarness h = new NodeHarness();
        h.apply(ContainerConfigScenariosTest.ENV_POD); // its ConfigMap does not exist
        h.advanceSeconds(60);

        String uid = h.pod("web").getMetadata().getUid();
        assertThat(logged).containsExactly("WARNING Error syncing pod, skipping: failed to \"StartContainer\" for \"app\" with "
                + "CreateContainerConfigError: \"configmap \"app-config\" not found\" pod=\"default/web\" podUID=\"" + uid + "\"");
    }

    @Test
    void aSyncThatThrowsIsLoggedRecordedAsAnEventAndRetried() {
        NodeHarness h = new NodeHarness();
        // stored before the API refused such quantities: the API would not take it now
        h.cluster().storeAsIs(io.podvisor.api.Yaml.read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: default}
                spec:
                  nodeName: podvisor
                  volumes: [{name: m, emptyDir: {medium: Memory, sizeLimit: 12XB}}]
                  containers: [{name: app, image: busybox, volumeMounts: [{name: m, mountPath: /m}]}]
                """, io.fabric8.kubernetes.api.model.Pod.class));
        assertThat(h.events("web", "FailedSync")).singleElement().asString().startsWith("1x error syncing pod: ");
        assertThat(logged).anyMatch(l -> l.startsWith("SEVERE Error syncing pod default/web"));

        h.advanceSeconds(30);
        assertThat(h.events("web", "FailedSync")).as("retried every 10 s").singleElement().asString().startsWith("4x ");
        // the status was generated before the sync failed, as upstream's kubelet does
        assertThat(h.kubectl("web")).isEqualTo("0/1 ContainerCreating 0");
    }

    @Test
    void aContainerWaitingOutItsCrashLoopBackOffIsNoError() {
        NodeHarness h = new NodeHarness();
        h.script("app", io.podvisor.runtime.fake.ContainerScript.script().exitAfter(java.time.Duration.ofSeconds(1), 1));
        h.apply("{apiVersion: v1, kind: Pod, metadata: {name: crash}, spec: {containers: [{name: app, image: busybox}]}}");
        h.advanceSeconds(60);

        assertThat(h.kubectl("crash")).contains("CrashLoopBackOff");
        assertThat(logged).isEmpty();
    }
}
