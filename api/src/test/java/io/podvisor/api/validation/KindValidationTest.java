package io.podvisor.api.validation;

import static io.podvisor.api.validation.Fixtures.create;
import static io.podvisor.api.validation.Fixtures.read;
import static io.podvisor.api.validation.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Metadata, Job, Service, ConfigMap, Secret and Namespace rules on create. */
class KindValidationTest {

    private static final String SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
            + "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private static String job(String meta, String spec) {
        return "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi, namespace: default, uid: u1" + meta + "}\nspec:\n"
                + Fixtures.indent(spec);
    }

    private static final String TEMPLATE = "template:\n  spec:\n    restartPolicy: Never\n    containers: [{name: pi, image: perl}]\n";

    private static String svc(String spec) {
        return "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec:\n" + Fixtures.indent(spec);
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of(Pod.class, "apiVersion: v1\nkind: Pod\nmetadata: {namespace: default}\nspec: {containers: [{name: a, image: b}]}\n",
                        "metadata.name: Required value: name or generateName is required"),
                Arguments.of(Pod.class, "apiVersion: v1\nkind: Pod\nmetadata: {name: Web, namespace: default}\nspec: {containers: [{name: a, image: b}]}\n",
                        "metadata.name: Invalid value: \"Web\": " + SUBDOMAIN_MSG),
                Arguments.of(Pod.class, "apiVersion: v1\nkind: Pod\nmetadata: {generateName: Web-, namespace: default}\nspec: {containers: [{name: a, image: b}]}\n",
                        "metadata.generateName: Invalid value: \"Web-\": " + SUBDOMAIN_MSG),
                Arguments.of(Pod.class, "apiVersion: v1\nkind: Pod\nmetadata: {name: w, namespace: default, labels: {\"a b\": x}}\n"
                        + "spec: {containers: [{name: a, image: b}]}\n",
                        "metadata.labels: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', "
                        + "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
                        + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
                Arguments.of(Pod.class, "apiVersion: v1\nkind: Pod\nmetadata: {name: w, namespace: default, labels: {a: \"-x\"}}\n"
                        + "spec: {containers: [{name: a, image: b}]}\n",
                        "metadata.labels: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric "
                        + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
                        + "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
                Arguments.of(Pod.class, "apiVersion: v1\nkind: Pod\nmetadata: {name: w, namespace: default, annotations: {big: \""
                        + "x".repeat(262145) + "\"}}\nspec: {containers: [{name: a, image: b}]}\n",
                        "metadata.annotations: Too long: may not be more than 262144 bytes"),
                Arguments.of(Job.class, job("", TEMPLATE.replace("restartPolicy: Never", "restartPolicy: Always")),
                        "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""),
                Arguments.of(Job.class, job("", TEMPLATE.replace("    restartPolicy: Never\n", "")),
                        "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""),
                Arguments.of(Job.class, job("", TEMPLATE + "parallelism: -1\nbackoffLimit: -2\n"),
                        "[spec.parallelism: Invalid value: -1: must be greater than or equal to 0, "
                        + "spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0]"),
                Arguments.of(Job.class, job("", TEMPLATE + "completionMode: Sometimes\n"),
                        "spec.completionMode: Unsupported value: \"Sometimes\": supported values: \"NonIndexed\", \"Indexed\""),
                Arguments.of(Job.class, job("", TEMPLATE + "manualSelector: true\nselector: {matchLabels: {app: x}}\n"),
                        "spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`"),
                Arguments.of(Job.class, job("", TEMPLATE + "manualSelector: true\n"), "spec.selector: Required value"),
                Arguments.of(Job.class, job("", TEMPLATE.replace("containers: [{name: pi, image: perl}]", "containers: [{name: pi}]")),
                        "spec.template.spec.containers[0].image: Required value"),
                Arguments.of(Service.class, svc("selector: {app: web}\n"), "spec.ports: Required value"),
                Arguments.of(Service.class, svc("ports: [{port: 70000}]\n"),
                        "[spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive, "
                        + "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive]"),
                Arguments.of(Service.class, svc("ports: [{port: 80, name: a}, {port: 80, name: a}]\n"),
                        "[spec.ports[1].name: Duplicate value: \"a\", spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", "
                        + "Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, "
                        + "StrVal:\"\"}, NodePort:0}]"),
                Arguments.of(Service.class, svc("ports: [{port: 80}, {port: 81}]\n"),
                        "[spec.ports[0].name: Required value, spec.ports[1].name: Required value]"),
                Arguments.of(Service.class, svc("type: Fancy\nports: [{port: 80}]\n"),
                        "spec.type: Unsupported value: \"Fancy\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""),
                Arguments.of(Service.class, "apiVersion: v1\nkind: Service\nmetadata: {name: 1web, namespace: default}\nspec: {ports: [{port: 80}]}\n",
                        "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters "
                        + "or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
                        + "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"),
                Arguments.of(ConfigMap.class, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: default}\ndata: {\"a/b\": x}\n",
                        "data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' "
                        + "(e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"),
                Arguments.of(Secret.class, "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: default}\ntype: kubernetes.io/tls\ndata: {}\n",
                        "[data[tls.crt]: Required value, data[tls.key]: Required value]"),
                Arguments.of(Namespace.class, "apiVersion: v1\nkind: Namespace\nmetadata: {name: a.b}\n",
                        "metadata.name: Invalid value: \"a.b\": must not contain dots"),
                Arguments.of(Namespace.class, "apiVersion: v1\nkind: Namespace\nmetadata: {name: team, namespace: x}\n",
                        "metadata.namespace: Forbidden: not allowed on this type"));
    }

    @ParameterizedTest
    @MethodSource("rules")
    void eachRuleGivesUpstreamsMessage(Class<? extends HasMetadata> type, String yaml, String expected) {
        assertThat(text(create(read(yaml, type)))).isEqualTo(expected);
    }
}
