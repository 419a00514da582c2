package io.podvisor.api.validation;

import static io.podvisor.api.validation.Fixtures.podYaml;
import static io.podvisor.api.validation.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.podvisor.api.Yaml;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultsTest {

    private static final String JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: pi, namespace: default, uid: abc-123}
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: pi
                    image: perl:5.34
                    resources: {limits: {cpu: "1"}}
            """;

    @Test
    void aMinimalPodGetsSpecAndAdmissionDefaults() {
        Pod pod = Defaults.apply(read(podYaml("containers:\n- name: app\n  image: busybox\n"), Pod.class));
        PodSpec spec = pod.getSpec();
        assertThat(spec.getRestartPolicy()).isEqualTo("Always");
        assertThat(spec.getTerminationGracePeriodSeconds()).isEqualTo(30L);
        assertThat(spec.getDnsPolicy()).isEqualTo("ClusterFirst");
        assertThat(spec.getSchedulerName()).isEqualTo("default-scheduler");
        assertThat(spec.getServiceAccountName()).isEqualTo("default");
        assertThat(spec.getServiceAccount()).isEqualTo("default");
        assertThat(spec.getPriority()).isZero();
        assertThat(spec.getPreemptionPolicy()).isEqualTo("PreemptLowerPriority");
        assertThat(spec.getSecurityContext()).isNotNull();
        assertThat(spec.getEnableServiceLinks()).isTrue();
        assertThat(spec.getContainers().getFirst().getImagePullPolicy()).isEqualTo("Always");
        assertThat(spec.getTolerations()).containsExactly(
                new Toleration("NoExecute", "node.kubernetes.io/not-ready", "Exists", 300L, null),
                new Toleration("NoExecute", "node.kubernetes.io/unreachable", "Exists", 300L, null));
    }

    @Test
    void podDefaultsAreIdempotentAndKeepAnExistingToleration() {
        Pod pod = read(podYaml("tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute,"
                + " tolerationSeconds: 5}]\ncontainers:\n- name: app\n  image: busybox\n"), Pod.class);
        Defaults.apply(pod);
        String once = Yaml.json(pod);
        Defaults.apply(pod);
        assertThat(Yaml.json(pod)).isEqualTo(once);
        assertThat(pod.getSpec().getTolerations()).extracting(Toleration::getKey, Toleration::getTolerationSeconds)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/unreachable", 5L),
                        org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/not-ready", 300L));
    }

    @Test
    void aNegativeGracePeriodBecomesOne() {
        Pod pod = Defaults.apply(read(podYaml("terminationGracePeriodSeconds: -5\ncontainers:\n- name: a\n  image: b\n"), Pod.class));
        assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(1L);
    }

    @Test
    void aJobGetsCountsModesAndTheGeneratedSelector() {
        Job job = Defaults.apply(read(JOB, Job.class));
        JobSpec spec = job.getSpec();
        assertThat(spec.getCompletions()).isEqualTo(1);
        assertThat(spec.getParallelism()).isEqualTo(1);
        assertThat(spec.getBackoffLimit()).isEqualTo(6);
        assertThat(spec.getCompletionMode()).isEqualTo("NonIndexed");
        assertThat(spec.getSuspend()).isFalse();
        assertThat(spec.getPodReplacementPolicy()).isEqualTo("TerminatingOrFailed");
        assertThat(spec.getManualSelector()).isNull();
        assertThat(spec.getSelector().getMatchLabels()).containsExactly(Map.entry("batch.kubernetes.io/controller-uid", "abc-123"));
        Map<String, String> expected = Map.of("batch.kubernetes.io/controller-uid", "abc-123",
                "batch.kubernetes.io/job-name", "pi", "controller-uid", "abc-123", "job-name", "pi");
        assertThat(spec.getTemplate().getMetadata().getLabels()).isEqualTo(expected);
        assertThat(job.getMetadata().getLabels()).isEqualTo(expected);
        PodSpec pod = spec.getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30L);
        assertThat(pod.getContainers().getFirst().getResources().getRequests()).isNullOrEmpty();
        assertThat(pod.getTolerations()).isNullOrEmpty();
        assertThat(Validation.validate(job, null)).isEmpty();
    }

    @Test
    void onlyParallelismDefaultsWhenCompletionsIsSet() {
        Job job = read(JOB, Job.class);
        job.getSpec().setCompletions(3);
        Defaults.apply(job);
        assertThat(job.getSpec().getCompletions()).isEqualTo(3);
        assertThat(job.getSpec().getParallelism()).isEqualTo(1);
    }

    @Test
    void aJobKeepsItsTemplateLabelsAsItsOwnAndAManualSelectorIsLeftAlone() {
        Job job = read(JOB, Job.class);
        job.getSpec().getTemplate().setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withLabels(Map.of("app", "pi")).build());
        job.getSpec().setManualSelector(true);
        Defaults.apply(job);
        assertThat(job.getMetadata().getLabels()).isEqualTo(Map.of("app", "pi"));
        assertThat(job.getSpec().getSelector()).isNull();
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(Map.of("app", "pi"));
    }

    @Test
    void aServiceGetsTypeAffinityProtocolTargetPortAndFamilies() {
        Service svc = Defaults.apply(read("""
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: default}
                spec:
                  selector: {app: web}
                  ports: [{port: 80}]
                """, Service.class));
        ServiceSpec spec = svc.getSpec();
        assertThat(spec.getType()).isEqualTo("ClusterIP");
        assertThat(spec.getSessionAffinity()).isEqualTo("None");
        assertThat(spec.getPorts().getFirst().getProtocol()).isEqualTo("TCP");
        assertThat(spec.getPorts().getFirst().getTargetPort()).isEqualTo(new IntOrString(80));
        assertThat(spec.getIpFamilyPolicy()).isEqualTo("SingleStack");
        assertThat(spec.getIpFamilies()).containsExactly("IPv4");
        assertThat(spec.getInternalTrafficPolicy()).isEqualTo("Cluster");
        assertThat(spec.getExternalTrafficPolicy()).isNull();
        assertThat(spec.getClusterIP()).isNull();
    }

    @Test
    void aSecretIsOpaqueWithStringDataMergedIntoData() {
        Secret s = Defaults.apply(read("""
                apiVersion: v1
                kind: Secret
                metadata: {name: s, namespace: default}
                stringData: {user: admin}
                """, Secret.class));
        assertThat(s.getType()).isEqualTo("Opaque");
        assertThat(s.getData()).containsExactly(Map.entry("user", "YWRtaW4="));
        assertThat(s.getStringData()).isNullOrEmpty();
    }

    @Test
    void aNamespaceGetsItsNameLabelFinalizerAndPhase() {
        Namespace ns = Defaults.apply(read("apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n", Namespace.class));
        assertThat(ns.getMetadata().getLabels()).containsExactly(Map.entry("kubernetes.io/metadata.name", "team-a"));
        assertThat(ns.getSpec().getFinalizers()).containsExactly("kubernetes");
        assertThat(ns.getStatus().getPhase()).isEqualTo("Active");
    }

    @Test
    void requestsComeFromLimitsOnPodsOnly() {
        Pod pod = Defaults.apply(read(podYaml("containers:\n- name: a\n  image: b:1\n  resources: {limits: {cpu: \"1\"}}\n"), Pod.class));
        assertThat(pod.getSpec().getContainers().getFirst().getResources().getRequests())
                .containsExactly(Map.entry("cpu", new Quantity("1")));
        assertThat(List.of(pod.getSpec().getContainers().getFirst().getImagePullPolicy())).containsExactly("IfNotPresent");
    }
}
