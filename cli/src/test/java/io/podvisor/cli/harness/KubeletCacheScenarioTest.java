package io.podvisor.cli.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.Yaml;
import io.podvisor.runtime.image.RegistryAuth;
import io.podvisor.runtime.fake.ContainerScript;
import io.podvisor.runtime.fake.FakeImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubelet reads ConfigMaps, Secrets, image pull secrets and Services from the shared informer caches:
 * its syncs make no request to the API for them, a missing object still gives the kubelet's errors
 * until the cache has it, and a changed ConfigMap reaches a configMap volume through the cache.
 */
class KubeletCacheScenarioTest {

    private static final String APP = "registry.example.com/team/app:1";

    private static final String OBJECTS = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cfg}
            data: {greeting: hello}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: creds}
            stringData: {password: pw}
            """;

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              imagePullSecrets: [{name: regcred}]
              containers:
              - name: app
                image: %s
                env:
                - name: GREETING
                  valueFrom: {configMapKeyRef: {name: cfg, key: greeting}}
                envFrom:
                - secretRef: {name: creds}
                volumeMounts:
                - {name: config, mountPath: /etc/config}
                - {name: secret, mountPath: /etc/secret}
                - {name: all, mountPath: /etc/all}
              volumes:
              - name: config
                configMap: {name: cfg}
              - name: secret
                secret: {secretName: creds}
              - name: all
                projected:
                  sources:
                  - configMap: {name: cfg}
                  - secret: {name: creds}
                  - downwardAPI: {items: [{path: name, fieldRef: {fieldPath: metadata.name}}]}
            """.formatted(APP);

    /** A pod whose environment needs ConfigMap {@code env} and whose volume ConfigMap {@code cfg}. */
    private static final String CONFIG_POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              containers:
              - name: app
                image: busybox
                env:
                - name: GREETING
                  valueFrom: {configMapKeyRef: {name: env, key: greeting}}
                volumeMounts:
                - {name: config, mountPath: /etc/config}
              volumes:
              - name: config
                configMap: {name: cfg}
            """;

    private static final String ENV_CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: env}
            data: {greeting: hi}
            """;

    private ClusterHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void syncsReadConfigMapsSecretsAndPullSecretsFromTheCachesNotTheApi() {
        h = new ClusterHarness();
        FakeImages images = h.runtime().images();
        images.absent(APP).requireAuth(APP, "bob", "s3cret");
        h.script("app", ContainerScript.script().exitAfter(Duration.ofSeconds(5), 1));
        for (String yaml : OBJECTS.split("---\n")) {
            h.apply(yaml);
        }
        h.apply(pullSecret());
        h.apply(POD);

        h.advanceSeconds(60);

        Pod web = h.pod("web");
        assertThat(web.getStatus().getContainerStatuses().getFirst().getRestartCount())
                .as("several syncs each started the container, reading its env, volumes and pull secrets")
                .isGreaterThanOrEqualTo(2);
        assertThat(images.pulls()).first().satisfies(p -> assertThat(p.auths())
                .containsExactly(new RegistryAuth("bob", "s3cret", "")));
        assertThat(h.events("web")).noneMatch(e -> e.contains("not found") || e.contains("FailedToRetrieve"));
        assertThat(h.nodeApiCalls("configMap(")).as("reads of a ConfigMap by name").isEmpty();
        assertThat(h.nodeApiCalls("secret(")).as("reads of a Secret by name").isEmpty();
        // the only ConfigMap and Secret traffic is each informer's one list and one watch
        assertThat(h.nodeApiCalls("(ConfigMap)")).containsExactly("listWithVersion(ConfigMap)", "watchFrom(ConfigMap)");
        assertThat(h.nodeApiCalls("(Secret)")).containsExactly("listWithVersion(Secret)", "watchFrom(Secret)");
        // the Service variables too, from the informer the Endpoints controller shares
        assertThat(h.nodeApiCalls("(Service)")).containsExactly("listWithVersion(Service)", "watchFrom(Service)");
        // its pods come from the one spec.nodeName informer, not a watch of the kubelet's own
        assertThat(h.nodeApiCalls("watchPods")).isEmpty();
    }

    @Test
    void aMissingConfigMapGivesTheSameErrorsUntilTheCacheHasIt() {
        h = new ClusterHarness();
        h.script("app", ContainerScript.runForever());
        h.apply(CONFIG_POD);
        h.advanceSeconds(1);
        assertThat(h.kubectlGet("pods")).containsExactly("web 0/1 ContainerCreating 0 1s");
        assertThat(h.events("web")).containsExactly("Normal Scheduled Successfully assigned default/web to podvisor",
                "Warning FailedMount MountVolume.SetUp failed for volume \"config\" : configmap \"cfg\" not found");

        h.apply(OBJECTS.split("---\n")[0]);
        h.advanceSeconds(10);
        assertThat(h.kubectlGet("pods")).containsExactly("web 0/1 CreateContainerConfigError 0 11s");
        assertThat(h.events("web")).contains("Warning Failed Error: configmap \"env\" not found");

        h.apply(ENV_CONFIG_MAP);
        h.advanceSeconds(10);
        assertThat(h.kubectlGet("pods")).containsExactly("web 1/1 Running 0 21s");
    }

    @Test
    void aChangedConfigMapReachesTheVolumeThroughTheCache(@TempDir Path root) throws IOException {
        h = new ClusterHarness(root);
        h.script("app", ContainerScript.script().exitAfter(Duration.ofSeconds(5), 0));
        h.apply(OBJECTS.split("---\n")[0]);
        h.apply(ENV_CONFIG_MAP);
        h.apply(CONFIG_POD);
        h.advanceSeconds(1);
        Path file = root.resolve("pods/" + h.pod("web").getMetadata().getUid()
                + "/volumes/kubernetes.io~configmap/config/greeting");
        assertThat(Files.readString(file)).isEqualTo("hello");

        ConfigMap cm = Yaml.copy(h.api().get(ConfigMap.class, ClusterHarness.NAMESPACE, "cfg"));
        cm.setData(Map.of("greeting", "bye"));
        h.api().update(cm);
        h.advanceSeconds(30);

        assertThat(h.pod("web").getStatus().getContainerStatuses().getFirst().getRestartCount())
                .as("the container started again, setting its volumes up again").isPositive();
        assertThat(Files.readString(file)).isEqualTo("bye");
        assertThat(h.nodeApiCalls("(ConfigMap)")).containsExactly("listWithVersion(ConfigMap)", "watchFrom(ConfigMap)");
    }

    private static String pullSecret() {
        String auth = b64("bob:s3cret");
        String config = "{\"auths\": {\"registry.example.com\": {\"auth\": \"" + auth + "\"}}}";
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: regcred}
                type: kubernetes.io/dockerconfigjson
                data: {.dockerconfigjson: %s}
                """.formatted(b64(config));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
