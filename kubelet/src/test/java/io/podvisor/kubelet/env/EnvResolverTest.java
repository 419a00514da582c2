package io.podvisor.kubelet.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.podvisor.api.PodDefaults;
import io.podvisor.api.Yaml;
import io.podvisor.core.DeterministicExecutor;
import io.podvisor.core.FakeClock;
import io.podvisor.kubelet.harness.NodeApi;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvResolverTest {

    private final NodeApi cluster = new NodeApi(new FakeClock(Instant.EPOCH), new DeterministicExecutor());

    private static final NodeAllocatable NODE = new NodeAllocatable(4000, 8L * 1024 * 1024 * 1024);

    private static Pod pod(String containerYaml) {
        Pod p = PodDefaults.apply(Yaml.read("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                  namespace: default
                  uid: 1234-abcd
                  labels: {app: web, tier: front}
                  annotations: {note: "hello"}
                spec:
                  nodeName: node-1
                  serviceAccountName: builder
                  containers:
                """ + containerYaml.indent(2), Pod.class));
        return p;
    }

    /**
     * {@code own} and the variables of the API server's Service ({@code default/kubernetes},
     * 10.96.0.1:443 named https), which every container gets, as upstream's kubelet gives them.
     */
    private static Map<String, String> withApiServer(Map<String, String> own) {
        Map<String, String> all = new java.util.HashMap<>(own);
        all.putAll(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443",
                "KUBERNETES_SERVICE_PORT_HTTPS", "443", "KUBERNETES_PORT", "tcp://10.96.0.1:443",
                "KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443", "KUBERNETES_PORT_443_TCP_PROTO", "tcp",
                "KUBERNETES_PORT_443_TCP_PORT", "443", "KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1"));
        return all;
    }

    private Map<String, String> resolve(Pod p) throws ConfigException {
        return resolver(p).resolve(p.getSpec().getContainers().getFirst()).env();
    }

    private EnvResolver resolver(Pod p) {
        return new EnvResolver(cluster.cluster(), new FieldRefs(p, "192.168.1.5", List.of("10.88.0.7"), NODE));
    }

    private void configMap(String name, Map<String, String> data) {
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withData(data).build();
        cluster.put(cm);
    }

    private void secret(String name, Map<String, String> plain) {
        Map<String, String> data = new java.util.HashMap<>();
        plain.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes())));
        cluster.put(new SecretBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withData(data).build());
    }

    @Test
    void literalValuesExpandEarlierVariablesOnly() throws Exception {
        Map<String, String> env = resolve(pod("""
                - name: app
                  image: busybox
                  env:
                  - {name: A, value: one}
                  - {name: B, value: "$(A)-two-$(C)"}
                  - {name: C, value: three}
                  - {name: D, value: "$$(A) $(B)"}
                """));
        assertThat(env).isEqualTo(withApiServer(Map.of("A", "one", "B", "one-two-$(C)", "C", "three", "D", "$(A) one-two-$(C)")));
    }

    @Test
    void downwardApiFields() throws Exception {
        Map<String, String> env = resolve(pod("""
                - name: app
                  image: busybox
                  env:
                  - {name: NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
                  - {name: NS, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
                  - {name: UID, valueFrom: {fieldRef: {fieldPath: metadata.uid}}}
                  - {name: APP, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
                  - {name: NOTE, valueFrom: {fieldRef: {fieldPath: "metadata.annotations['note']"}}}
                  - {name: MISSING, valueFrom: {fieldRef: {fieldPath: "metadata.labels['nope']"}}}
                  - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
                  - {name: SA, valueFrom: {fieldRef: {fieldPath: spec.serviceAccountName}}}
                  - {name: HOST_IP, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
                  - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
                  - {name: POD_IPS, valueFrom: {fieldRef: {fieldPath: status.podIPs}}}
                  - {name: GREETING, value: "pod $(NAME) on $(NODE)"}
                """));
        assertThat(env).containsEntry("NAME", "web").containsEntry("NS", "default").containsEntry("UID", "1234-abcd")
                .containsEntry("APP", "web").containsEntry("NOTE", "hello").containsEntry("MISSING", "")
                .containsEntry("NODE", "node-1").containsEntry("SA", "builder").containsEntry("HOST_IP", "192.168.1.5")
                .containsEntry("POD_IP", "10.88.0.7").containsEntry("POD_IPS", "10.88.0.7")
                .containsEntry("GREETING", "pod web on node-1");
    }

    @Test
    void resourceFieldsWithDivisorsAndNodeAllocatableForUnsetLimits() throws Exception {
        Pod p = pod("""
                - name: app
                  image: busybox
                  resources:
                    requests: {cpu: 250m, memory: 64Mi}
                    limits: {memory: 100M}
                  env:
                  - {name: CPU_REQ, valueFrom: {resourceFieldRef: {resource: requests.cpu}}}
                  - {name: CPU_REQ_M, valueFrom: {resourceFieldRef: {resource: requests.cpu, divisor: 1m}}}
                  - {name: CPU_LIM, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
                  - {name: MEM_REQ_MI, valueFrom: {resourceFieldRef: {resource: requests.memory, divisor: 1Mi}}}
                  - {name: MEM_LIM, valueFrom: {resourceFieldRef: {resource: limits.memory}}}
                  - {name: MEM_LIM_MI, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
                - name: other
                  image: busybox
                  resources: {limits: {cpu: "2"}}
                """);
        Container app = p.getSpec().getContainers().getFirst();
        Map<String, String> env = resolver(p).resolve(app).env();
        assertThat(env).containsEntry("CPU_REQ", "1").containsEntry("CPU_REQ_M", "250").containsEntry("CPU_LIM", "4")
                .containsEntry("MEM_REQ_MI", "64").containsEntry("MEM_LIM", "100000000").containsEntry("MEM_LIM_MI", "96");
        FieldRefs f = new FieldRefs(p, "", List.of(), NODE);
        var other = new io.fabric8.kubernetes.api.model.ResourceFieldSelectorBuilder().withContainerName("other")
                .withResource("limits.cpu").withDivisor(new io.fabric8.kubernetes.api.model.Quantity("1m")).build();
        assertThat(f.resource(other, app)).isEqualTo("2000");
        var memNode = new io.fabric8.kubernetes.api.model.ResourceFieldSelectorBuilder().withResource("limits.memory")
                .withDivisor(new io.fabric8.kubernetes.api.model.Quantity("1Gi")).build();
        assertThat(f.resource(memNode, p.getSpec().getContainers().get(1))).isEqualTo("8");
        var bad = new io.fabric8.kubernetes.api.model.ResourceFieldSelectorBuilder().withResource("limits.gpu").build();
        assertThatThrownBy(() -> f.resource(bad, app)).hasMessage("unsupported container resource : limits.gpu");
    }

    @Test
    void configMapAndSecretKeysAndTheirMessages() throws Exception {
        String yaml = """
                - name: app
                  image: busybox
                  env:
                  - {name: LEVEL, valueFrom: {configMapKeyRef: {name: app-config, key: level}}}
                  - {name: PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}
                  - {name: OPT, valueFrom: {configMapKeyRef: {name: absent, key: x, optional: true}}}
                  - {name: OPT_KEY, valueFrom: {secretKeyRef: {name: db, key: nope, optional: true}}}
                """;
        assertThatThrownBy(() -> resolve(pod(yaml))).isInstanceOf(ConfigException.class)
                .hasMessage("configmap \"app-config\" not found");
        configMap("app-config", Map.of("other", "x"));
        assertThatThrownBy(() -> resolve(pod(yaml))).hasMessage("couldn't find key level in ConfigMap default/app-config");
        configMap("app-config", Map.of("level", "debug"));
        assertThatThrownBy(() -> resolve(pod(yaml))).hasMessage("secret \"db\" not found");
        secret("db", Map.of("user", "admin"));
        assertThatThrownBy(() -> resolve(pod(yaml))).hasMessage("couldn't find key password in Secret default/db");
        secret("db", Map.of("password", "s3cret"));
        assertThat(resolve(pod(yaml))).isEqualTo(withApiServer(Map.of("LEVEL", "debug", "PASSWORD", "s3cret")));
    }

    @Test
    void envFromWithPrefixesSkipsInvalidNamesAndEnvWins() throws Exception {
        // a key the API refuses today (no ConfigMap key may hold '='), stored before it did
        cluster.storeAsIs(new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata()
                .withData(Map.of("MODE", "fast", "bad=key", "x", "PORT", "80")).build());
        secret("creds", Map.of("TOKEN", "t0k"));
        Pod p = pod("""
                - name: app
                  image: busybox
                  envFrom:
                  - configMapRef: {name: cfg}
                  - prefix: S_
                    secretRef: {name: creds}
                  - configMapRef: {name: gone, optional: true}
                  env:
                  - {name: PORT, value: "8080"}
                  - {name: URL, value: "http://host:$(PORT)/$(MODE)?t=$(S_TOKEN)"}
                """);
        EnvResolver.Result r = resolver(p).resolve(p.getSpec().getContainers().getFirst());
        assertThat(r.env()).containsEntry("MODE", "fast").containsEntry("PORT", "8080").containsEntry("S_TOKEN", "t0k")
                .containsEntry("URL", "http://host:8080/fast?t=t0k").doesNotContainKey("bad=key");
        assertThat(r.warnings()).containsExactly("Keys [bad=key] from the EnvFrom configMap default/cfg were skipped "
                + "since they are considered invalid environment variable names.");
        Pod missing = pod("""
                - name: app
                  image: busybox
                  envFrom:
                  - secretRef: {name: gone}
                """);
        assertThatThrownBy(() -> resolve(missing)).hasMessage("secret \"gone\" not found");
    }
}
