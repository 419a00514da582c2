package io.podvisor.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

class StrictDecodingTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A YAML document as a JSON tree (as a request body would arrive). */
    static JsonNode yaml(String s) throws Exception {
        return YAML.readTree(s);
    }

    @Test
    void findsUnknownFieldsInDocumentOrder() throws Exception {
        JsonNode body = yaml("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web, labelz: {a: b}}
                spec:
                  foo: 1
                  containers:
                  - name: app
                    image: busybox
                    bar: x
                    restartpolicy: Always
                  - name: two
                    image: busybox
                    resources: {limits: {cpu: 1}, limitz: {}}
                """);
        assertThat(StrictDecoding.unknownFields(body, Pod.class)).containsExactly("metadata.labelz", "spec.foo",
                "spec.containers[0].bar", "spec.containers[0].restartpolicy", "spec.containers[1].resources.limitz");
    }

    @Test
    void managedFieldsAreFreeForm() throws Exception {
        JsonNode body = yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: c
                  managedFields:
                  - manager: kubectl
                    operation: Apply
                    fieldsType: FieldsV1
                    fieldsV1: {"f:data": {"f:mode": {}}}
                data: {mode: fast}
                """);
        assertThat(StrictDecoding.unknownFields(body, io.fabric8.kubernetes.api.model.ConfigMap.class)).isEmpty();
    }

    @Test
    void acceptsMapsIntOrStringAndQuantities() throws Exception {
        JsonNode body = yaml("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                  labels: {any-key: x}
                  annotations: {example.com/anything: y}
                spec:
                  nodeSelector: {disk: ssd}
                  containers:
                  - name: app
                    image: busybox
                    resources: {limits: {cpu: 500m, memory: 1Gi}}
                    livenessProbe: {httpGet: {port: http, path: /}}
                    readinessProbe: {tcpSocket: {port: 8080}}
                """);
        assertThat(StrictDecoding.unknownFields(body, Pod.class)).isEmpty();
    }

    @Test
    void walksOtherKindsAndTemplates() throws Exception {
        assertThat(StrictDecoding.unknownFields(yaml("""
                apiVersion: batch/v1
                kind: Job
                metadata: {name: pi}
                spec:
                  backofLimit: 2
                  template:
                    metadata: {labels: {a: b}}
                    spec: {containers: [{name: pi, image: perl, commnd: [x]}]}
                """), Job.class)).containsExactly("spec.backofLimit", "spec.template.spec.containers[0].commnd");
        assertThat(StrictDecoding.unknownFields(yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec: {ports: [{port: 80, targetPort: http, nodeport: 1}], selector: {app: web}}
                """), Service.class)).containsExactly("spec.ports[0].nodeport");
    }
}
