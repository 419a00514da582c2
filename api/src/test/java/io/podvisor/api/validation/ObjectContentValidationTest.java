package io.podvisor.api.validation;

import static io.podvisor.api.validation.Fixtures.create;
import static io.podvisor.api.validation.Fixtures.podYaml;
import static io.podvisor.api.validation.Fixtures.read;
import static io.podvisor.api.validation.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.errors.FieldError;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Object content upstream refuses and the API used to store: volume item paths and sub-paths,
 * file modes, host path types, env sources and downward API selectors, user and group ids,
 * readiness gates and owner references; each with upstream's path and message.
 */
class ObjectContentValidationTest {

    private static final String APP = "containers:\n- name: app\n  image: busybox\n";
    private static final String MODE = "must be a number between 0 and 0777 (octal), both inclusive";

    private static List<FieldError> validate(String spec) {
        return create(read(podYaml(spec), Pod.class));
    }

    private static String volume(String source) {
        return "volumes: [{name: v, " + source + "}]\n" + APP;
    }

    private static String env(String var) {
        return APP + "  env: [" + var + "]\n";
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of(volume("secret: {secretName: s, items: [{key: k, path: ../etc/passwd}]}"),
                        "spec.volumes[0].secret.items[0].path: Invalid value: \"../etc/passwd\": must not contain '..'"),
                Arguments.of(volume("configMap: {name: c, items: [{key: k, path: /etc/passwd}]}"),
                        "spec.volumes[0].configMap.items[0].path: Invalid value: \"/etc/passwd\": must be a relative path"),
                Arguments.of(volume("configMap: {name: c, items: [{key: k, path: ..data}]}"),
                        "spec.volumes[0].configMap.items[0].path: Invalid value: \"..data\": must not start with '..'"),
                Arguments.of(volume("configMap: {name: c, items: [{path: p}]}"),
                        "spec.volumes[0].configMap.items[0].key: Required value"),
                Arguments.of(volume("secret: {secretName: s, defaultMode: 4095}"),
                        "spec.volumes[0].secret.defaultMode: Invalid value: 4095: " + MODE),
                Arguments.of(volume("configMap: {name: c, items: [{key: k, path: p, mode: -1}]}"),
                        "spec.volumes[0].configMap.items[0].mode: Invalid value: -1: " + MODE),
                Arguments.of(volume("hostPath: {path: /var/tmp, type: Bogus}"),
                        "spec.volumes[0].hostPath.type: Unsupported value: \"Bogus\": supported values: \"\", \"BlockDevice\", "
                        + "\"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\""),
                Arguments.of(volume("hostPath: {path: /var/../etc}"),
                        "spec.volumes[0].hostPath.path: Invalid value: \"/var/../etc\": must not contain '..'"),
                Arguments.of(volume("downwardAPI: {items: [{path: n, fieldRef: {fieldPath: spec.nodeName}}]}"),
                        "spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: \"spec.nodeName\": supported values: "
                        + "\"metadata.annotations\", \"metadata.labels\", \"metadata.name\", \"metadata.namespace\", \"metadata.uid\""),
                Arguments.of(volume("downwardAPI: {items: [{path: n}]}"),
                        "spec.volumes[0].downwardAPI: Required value: one of fieldRef and resourceFieldRef is required"),
                Arguments.of(volume("downwardAPI: {items: [{path: c, resourceFieldRef: {resource: limits.cpu}}]}"),
                        "spec.volumes[0].downwardAPI.resourceFieldRef.containerName: Required value"),
                Arguments.of(volume("projected: {sources: [{serviceAccountToken: {path: t, expirationSeconds: 60}}]}"),
                        "spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 60: "
                        + "may not specify a duration less than 10 minutes"),
                Arguments.of(volume("projected: {sources: [{configMap: {name: a, items: [{key: k, path: p}]}}, "
                        + "{secret: {name: b, items: [{key: k, path: p}]}}]}"),
                        "spec.volumes[0].projected: Invalid value: \"b\": conflicting duplicate paths"),
                Arguments.of(volume("emptyDir: {sizeLimit: -1Gi}"),
                        "spec.volumes[0].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity"),
                Arguments.of("volumes: [{name: v, emptyDir: {}}]\n" + APP + "  volumeMounts: [{name: v, mountPath: /d, subPath: ../../etc}]\n",
                        "spec.containers[0].volumeMounts.subPath: Invalid value: \"../../etc\": must not contain '..'"),
                Arguments.of("volumes: [{name: v, emptyDir: {}}]\n" + APP + "  volumeMounts: [{name: v, mountPath: /d, subPath: /etc}]\n",
                        "spec.containers[0].volumeMounts.subPath: Invalid value: \"/etc\": must be a relative path"),
                Arguments.of("volumes: [{name: v, emptyDir: {}}]\n" + APP
                        + "  volumeMounts: [{name: v, mountPath: /d, subPath: a, subPathExpr: $(X)}]\n",
                        "spec.containers[0].volumeMounts[0].subPathExpr: Invalid value: \"$(X)\": subPathExpr and subPath are mutually exclusive"),
                Arguments.of("volumes: [{name: v, emptyDir: {}}]\n" + APP
                        + "  volumeMounts: [{name: v, mountPath: /d, mountPropagation: Bidirectional}]\n",
                        "spec.containers[0].volumeMounts[0].mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers"),
                Arguments.of(env("{name: A, value: x, valueFrom: {fieldRef: {fieldPath: metadata.name}}}"),
                        "spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty"),
                Arguments.of(env("{name: A, valueFrom: {}}"),
                        "spec.containers[0].env[0].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, "
                        + "`resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"),
                Arguments.of(env("{name: A, valueFrom: {fieldRef: {fieldPath: metadata.name}, secretKeyRef: {name: s, key: k}}}"),
                        "spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not have more than one field specified at a time"),
                Arguments.of(env("{name: A, valueFrom: {fieldRef: {fieldPath: metadata.bogus}}}"),
                        "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: \"metadata.bogus\": "
                        + "error converting fieldPath: field label not supported: metadata.bogus"),
                Arguments.of(env("{name: A, valueFrom: {fieldRef: {fieldPath: status.phase}}}"),
                        "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.phase\": supported values: "
                        + "\"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", "
                        + "\"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\""),
                Arguments.of(env("{name: A, valueFrom: {fieldRef: {apiVersion: v2, fieldPath: metadata.name}}}"),
                        "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: \"metadata.name\": "
                        + "error converting fieldPath: unsupported pod version: v2"),
                Arguments.of(env("{name: A, valueFrom: {secretKeyRef: {name: s}}}"),
                        "spec.containers[0].env[0].valueFrom.secretKeyRef.key: Required value"),
                Arguments.of(env("{name: A, valueFrom: {resourceFieldRef: {resource: limits.gpu}}}"),
                        "spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: \"limits.gpu\": supported values: "
                        + "\"limits.cpu\", \"limits.ephemeral-storage\", \"limits.memory\", \"requests.cpu\", "
                        + "\"requests.ephemeral-storage\", \"requests.memory\""),
                Arguments.of(env("{name: A, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 2}}}"),
                        "spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: \"limits.cpu\": "
                        + "only divisor's values 1m and 1 are supported with the cpu resource"),
                Arguments.of(APP + "  envFrom: [{prefix: P_}]\n",
                        "spec.containers[0].envFrom: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`"),
                Arguments.of(APP + "  securityContext: {runAsUser: -1}\n",
                        "spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive"),
                Arguments.of("securityContext: {runAsGroup: 2147483648, supplementalGroups: [-5]}\n" + APP,
                        "[spec.securityContext.runAsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive, "
                        + "spec.securityContext.supplementalGroups[0]: Invalid value: -5: must be between 0 and 2147483647, inclusive]"),
                Arguments.of(APP + "  securityContext: {privileged: true, allowPrivilegeEscalation: false}\n",
                        "spec.containers[0].securityContext: Invalid value: \"\": cannot set `allowPrivilegeEscalation` to false and `privileged` to true"),
                Arguments.of("readinessGates: [{}]\n" + APP,
                        "[spec.readinessGates[0].conditionType: Invalid value: \"\": name part must be non-empty, "
                        + "spec.readinessGates[0].conditionType: Invalid value: \"\": name part must consist of alphanumeric "
                        + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
                        + "'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')]"),
                Arguments.of("readinessGates: [{conditionType: \"bad gate\"}]\n" + APP,
                        "spec.readinessGates[0].conditionType: Invalid value: \"bad gate\": name part must consist of alphanumeric "
                        + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
                        + "'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"));
    }

    @ParameterizedTest
    @MethodSource("rules")
    void eachRuleGivesUpstreamsPathAndMessage(String spec, String expected) {
        assertThat(text(validate(spec))).isEqualTo(expected);
    }

    @Test
    void theCorpusPodsValidSourcesAndSelectorsPass() {
        assertThat(validate("""
                volumes:
                - {name: s, secret: {secretName: s, defaultMode: 0644, items: [{key: k, path: dir/k, mode: 0400}]}}
                - {name: h, hostPath: {path: /var/tmp, type: DirectoryOrCreate}}
                - {name: d, downwardAPI: {items: [{path: l, fieldRef: {fieldPath: "metadata.labels['app']"}},
                                                  {path: c, resourceFieldRef: {containerName: app, resource: limits.cpu, divisor: 1m}}]}}
                - {name: p, projected: {sources: [{serviceAccountToken: {path: token}}, {configMap: {name: c}}]}}
                securityContext: {runAsUser: 0, fsGroup: 2000}
                readinessGates: [{conditionType: example.com/ready}]
                containers:
                - name: app
                  image: busybox
                  env:
                  - {name: A, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
                  - {name: B, valueFrom: {resourceFieldRef: {resource: requests.memory, divisor: 1Mi}}}
                  - {name: C, value: ""}
                  envFrom: [{prefix: P_, configMapRef: {name: c}}]
                  volumeMounts: [{name: s, mountPath: /s, subPath: a/b}, {name: h, mountPath: /h, subPathExpr: $(A)}]
                """)).isEmpty();
    }

    /** A body as the API decodes it ({@link GoDecoding} before binding). */
    private static com.fasterxml.jackson.databind.JsonNode decoded(String yaml) throws Exception {
        com.fasterxml.jackson.databind.JsonNode body = StrictDecodingTest.yaml(yaml);
        assertThat(GoDecoding.normalize(body, Pod.class)).isEmpty();
        return body;
    }

    @Test
    void ownerReferencesNeedVersionKindNameAndUidAndOneController() throws Exception {
        String meta = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\n  ownerReferences:\n";
        String spec = "spec:\n  containers: [{name: app, image: busybox}]\n";
        Pod empty = StrictDecoding.MAPPER.convertValue(decoded(meta + "  - {}\n" + spec), Pod.class);
        assertThat(text(create(empty))).isEqualTo(
                "[metadata.ownerReferences.apiVersion: Invalid value: \"\": version must not be empty, "
                + "metadata.ownerReferences.kind: Invalid value: \"\": must not be empty, "
                + "metadata.ownerReferences.name: Invalid value: \"\": must not be empty, "
                + "metadata.ownerReferences.uid: Invalid value: \"\": must not be empty]");
        Pod nullEntry = read(meta + "  - {apiVersion: v1, kind: ConfigMap, name: c, uid: u0}\n" + spec, Pod.class);
        nullEntry.getMetadata().getOwnerReferences().set(0, null);
        assertThat(text(create(nullEntry))).as("a null entry is an empty reference").isEqualTo(text(create(empty)));
        assertThat(text(create(read(meta + "  - {apiVersion: v1, kind: ConfigMap, name: c}\n" + spec, Pod.class))))
                .isEqualTo("metadata.ownerReferences.uid: Invalid value: \"\": must not be empty");
        assertThat(text(create(read(meta + "  - {apiVersion: batch/v1, kind: Job, name: a, uid: u1, controller: true}\n"
                + "  - {apiVersion: batch/v1, kind: Job, name: b, uid: u2, controller: true}\n" + spec, Pod.class))))
                .endsWith("Only one reference can have Controller set to true. Found \"true\" in references for Job/a and Job/b");
    }

    @Test
    void theTwoGarbageCollectorFinalizersCannotBothBeSet() {
        String meta = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\n  finalizers: [%s]\n"
                + "spec:\n  containers: [{name: app, image: busybox}]\n";
        assertThat(text(create(read(meta.formatted("orphan, example.com/x, foregroundDeletion"), Pod.class))))
                .isEqualTo("metadata.finalizers: Invalid value: []string{\"orphan\", \"example.com/x\", \"foregroundDeletion\"}: "
                        + "finalizer orphan and foregroundDeletion cannot be both set");
        assertThat(create(read(meta.formatted("orphan"), Pod.class))).isEmpty();
    }
}
