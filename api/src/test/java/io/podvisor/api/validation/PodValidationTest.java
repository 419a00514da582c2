package io.podvisor.api.validation;

import static io.podvisor.api.validation.Fixtures.create;
import static io.podvisor.api.validation.Fixtures.podYaml;
import static io.podvisor.api.validation.Fixtures.read;
import static io.podvisor.api.validation.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.errors.FieldError;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodValidationTest {

    private static final String APP = "containers:\n- name: app\n  image: busybox\n";

    private static List<FieldError> validate(String spec) {
        return create(read(podYaml(spec), Pod.class));
    }

    @Test
    void aMinimalPodIsValid() {
        assertThat(validate(APP)).isEmpty();
    }

    @Test
    void aPodWithSidecarProbesVolumesAndResourcesIsValid() {
        String spec = """
                volumes:
                - name: data
                  emptyDir: {}
                initContainers:
                - name: log
                  image: busybox
                  restartPolicy: Always
                  startupProbe:
                    exec: {command: [true]}
                containers:
                - name: app
                  image: nginx:1.27
                  ports: [{containerPort: 80, name: http}]
                  env: [{name: A_B, value: x}]
                  volumeMounts: [{name: data, mountPath: /data}]
                  resources: {requests: {cpu: 500m}, limits: {cpu: "1", memory: 1Gi}}
                  livenessProbe:
                    httpGet: {port: http}
                  readinessProbe:
                    tcpSocket: {port: 80}
                  lifecycle:
                    preStop: {sleep: {seconds: 5}}
                """;
        assertThat(validate(spec)).isEmpty();
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("containers:\n- name: app\n  image: busybox\n  restartPolicy: Always\n",
                        "spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"),
                Arguments.of("initContainers:\n- name: init\n  image: busybox\n  restartPolicy: OnFailure\n" + APP,
                        "spec.initContainers[0].restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""),
                Arguments.of("initContainers:\n- name: init\n  image: busybox\n  livenessProbe: {exec: {command: [x]}}\n" + APP,
                        "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"),
                Arguments.of("initContainers:\n- name: init\n  image: busybox\n  readinessProbe: {exec: {command: [x]}}\n"
                        + "  startupProbe: {exec: {command: [x]}}\n  lifecycle: {preStop: {exec: {command: [x]}}}\n" + APP,
                        "[spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always, "
                        + "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always, "
                        + "spec.initContainers[0].startupProbe: Forbidden: may not be set for init containers without restartPolicy=Always]"),
                Arguments.of("containers:\n- name: app\n", "spec.containers[0].image: Required value"),
                Arguments.of("containers: []\n", "spec.containers: Required value"),
                Arguments.of(APP + "- name: app\n  image: busybox\n", "spec.containers[1].name: Duplicate value: \"app\""),
                Arguments.of("initContainers:\n- name: app\n  image: busybox\n" + APP,
                        "spec.initContainers[0].name: Duplicate value: \"app\""),
                Arguments.of("containers:\n- name: Web_App\n  image: busybox\n",
                        "spec.containers[0].name: Invalid value: \"Web_App\": a lowercase RFC 1123 label must consist of lower case "
                        + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  "
                        + "or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"),
                Arguments.of(APP + "  ports: [{containerPort: 70000}]\n",
                        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"),
                Arguments.of(APP + "  ports: [{name: x}]\n", "spec.containers[0].ports[0].containerPort: Required value"),
                Arguments.of(APP + "  ports: [{containerPort: 80, protocol: HTTP}]\n",
                        "spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
                Arguments.of(APP + "  ports: [{containerPort: 80, name: http}, {containerPort: 81, name: http}]\n",
                        "spec.containers[0].ports[1].name: Duplicate value: \"http\""),
                Arguments.of(APP + "  ports: [{containerPort: 80, name: a-very-long-port-name}]\n",
                        "spec.containers[0].ports[0].name: Invalid value: \"a-very-long-port-name\": must be no more than 15 characters"),
                Arguments.of(APP + "  ports: [{containerPort: 80, name: \"80\"}]\n",
                        "spec.containers[0].ports[0].name: Invalid value: \"80\": must contain at least one letter (a-z)"),
                Arguments.of("restartPolicy: Sometimes\n" + APP,
                        "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""),
                Arguments.of(APP + "  imagePullPolicy: Sometimes\n",
                        "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""),
                Arguments.of(APP + "  resources: {requests: {memory: 2Gi}, limits: {memory: 1Gi}}\n",
                        "spec.containers[0].resources.requests: Invalid value: \"2Gi\": must be less than or equal to memory limit of 1Gi"),
                Arguments.of(APP + "  resources: {requests: {cpu: \"2\"}, limits: {cpu: \"1\"}}\n",
                        "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"),
                Arguments.of(APP + "  resources: {requests: {cpu: \"-1\"}}\n",
                        "spec.containers[0].resources.requests[cpu]: Invalid value: \"-1\": must be greater than or equal to 0"),
                Arguments.of(APP + "  resources: {limits: {memory: 1.5Gb}}\n",
                        "[spec.containers[0].resources.limits[memory]: Invalid value: \"1.5Gb\": " + Quantities.FORMAT_ERROR
                        + ", spec.containers[0].resources.requests[memory]: Invalid value: \"1.5Gb\": " + Quantities.FORMAT_ERROR + "]"),
                Arguments.of(APP + "  resources: {limits: {gpu: \"1\"}}\n",
                        "[spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for containers, "
                        + "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource for containers]"),
                Arguments.of(APP + "  livenessProbe: {periodSeconds: 5}\n",
                        "spec.containers[0].livenessProbe: Required value: must specify a handler type"),
                Arguments.of(APP + "  livenessProbe: {exec: {command: [x]}, httpGet: {port: 80}}\n",
                        "spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type"),
                Arguments.of(APP + "  livenessProbe: {exec: {command: [x]}, successThreshold: 2}\n",
                        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"),
                Arguments.of(APP + "  startupProbe: {exec: {command: [x]}, successThreshold: 3}\n",
                        "spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1"),
                Arguments.of(APP + "  readinessProbe: {exec: {command: [x]}, periodSeconds: -1}\n",
                        "spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0"),
                Arguments.of(APP + "  readinessProbe: {exec: {command: [x]}, terminationGracePeriodSeconds: 10}\n",
                        "spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes"),
                Arguments.of(APP + "  livenessProbe: {exec: {command: [x]}, terminationGracePeriodSeconds: 0}\n",
                        "spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0"),
                Arguments.of(APP + "  livenessProbe: {httpGet: {port: 0}}\n",
                        "spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive"),
                Arguments.of(APP + "  livenessProbe: {httpGet: {port: 80, scheme: FTP}}\n",
                        "spec.containers[0].livenessProbe.httpGet.scheme: Unsupported value: \"FTP\": supported values: \"HTTP\", \"HTTPS\""),
                Arguments.of(APP + "  livenessProbe: {exec: {command: []}}\n",
                        "spec.containers[0].livenessProbe.exec.command: Required value"),
                Arguments.of(APP + "  volumeMounts: [{name: data, mountPath: /d}]\n",
                        "spec.containers[0].volumeMounts[0].name: Not found: \"data\""),
                Arguments.of(APP + "  lifecycle: {preStop: {sleep: {seconds: 40}}}\n",
                        "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 40: must be greater than 0 and less than terminationGracePeriodSeconds (30)"),
                Arguments.of("activeDeadlineSeconds: 0\n" + APP,
                        "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"),
                Arguments.of("volumes: [{name: d, emptyDir: {}}, {name: d, emptyDir: {}}]\n" + APP,
                        "spec.volumes[1].name: Duplicate value: \"d\""),
                Arguments.of("volumes: [{name: d}]\n" + APP, "spec.volumes[0]: Required value: must specify a volume type"),
                Arguments.of("volumes: [{name: d, emptyDir: {}, hostPath: {path: /x}}]\n" + APP,
                        "spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type"),
                Arguments.of(APP + "  env: [{name: \"A=B\", value: x}]\n",
                        "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"),
                Arguments.of("tolerations: [{key: k, operator: Sometimes}]\n" + APP,
                        "spec.tolerations[0].operator: Unsupported value: \"Sometimes\": supported values: \"Equal\", \"Exists\""));
    }

    @ParameterizedTest
    @MethodSource("rules")
    void eachRuleGivesUpstreamsMessage(String spec, String expected) {
        assertThat(text(validate(spec))).isEqualTo(expected);
    }

    @Test
    void invalidExceptionRendersKindNameAndErrors() {
        List<FieldError> errs = validate("containers:\n- name: app\n  image: busybox\n  restartPolicy: Always\n");
        assertThat(new ApiException.Invalid("", "Pod", "x", errs).getMessage())
                .isEqualTo("Pod \"x\" is invalid: spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers");
        assertThat(new ApiException.Invalid("", "Pod", "x", errs).toStatus().getDetails().getCauses().getFirst().getReason())
                .isEqualTo("FieldValueForbidden");
    }

    @Test
    void severalErrorsAreJoinedInBrackets() {
        List<FieldError> errs = validate("containers:\n- name: app\n- name: app\n  image: busybox\n");
        assertThat(new ApiException.Invalid("", "Pod", "web", errs).getMessage()).isEqualTo(
                "Pod \"web\" is invalid: [spec.containers[0].image: Required value, spec.containers[1].name: Duplicate value: \"app\"]");
    }

    @Test
    void notFoundHasItsOwnReason() {
        FieldError e = validate(APP + "  volumeMounts: [{name: data, mountPath: /d}]\n").getFirst();
        assertThat(e.type()).isEqualTo(FieldError.NOT_FOUND);
        assertThat(e.type().reason()).isEqualTo("FieldValueNotFound");
    }
}
