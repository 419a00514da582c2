package io.podvisor.api.validation;

import static io.podvisor.api.validation.StrictDecodingTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDecodingTest {

    @Test
    void nullListElementsAndMapValuesBecomeZeroValuesAsInGo() throws Exception {
        JsonNode body = yaml("""
                metadata: {name: p, finalizers: [null], ownerReferences: [null], labels: {a: null}}
                spec:
                  readinessGates: [null]
                  tolerations: [null]
                  volumes: [null]
                  initContainers: [null]
                  containers:
                  - null
                  - name: c
                    command: [null]
                    env: [null]
                    ports: [null]
                    volumeMounts: [null]
                    resources: {limits: {cpu: null}}
                """);
        assertThat(GoDecoding.normalize(body, Pod.class)).isEmpty();
        assertThat(body.at("/metadata/finalizers/0").asText("x")).isEmpty();
        assertThat(body.at("/metadata/ownerReferences/0").isObject()).isTrue();
        assertThat(body.at("/metadata/labels/a").isTextual()).isTrue();
        assertThat(body.at("/spec/readinessGates/0").isObject()).isTrue();
        assertThat(body.at("/spec/tolerations/0").isObject()).isTrue();
        assertThat(body.at("/spec/volumes/0").isObject()).isTrue();
        assertThat(body.at("/spec/initContainers/0").isObject()).isTrue();
        assertThat(body.at("/spec/containers/0").isObject()).isTrue();
        assertThat(body.at("/spec/containers/1/command/0").isTextual()).isTrue();
        for (String list : new String[] {"env", "ports", "volumeMounts"}) {
            assertThat(body.at("/spec/containers/1/" + list + "/0").isObject()).as(list).isTrue();
        }
        assertThat(body.at("/spec/containers/1/resources/limits/cpu").asText()).isEqualTo("0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"'12XB'", "'1.5.5'", "'NaN'", "true", "'true'", "''", "{a: 1}", "[1]", "'1 Gi'"})
    void anInvalidQuantityAnywhereFailsTheDecodingWithUpstreamsMessage(String value) throws Exception {
        for (String place : new String[] {
            "containers: [{name: c, resources: {limits: {cpu: V}}}]",
            "containers: [{name: c, resources: {requests: {ephemeral-storage: V}}}]",
            "volumes: [{name: v, emptyDir: {sizeLimit: V}}]",
            "overhead: {memory: V}"}) {
            JsonNode body = yaml("spec: {" + place.replace("V", value) + "}");
            assertThat(GoDecoding.normalize(body, Pod.class)).as(place + " with " + value)
                    .contains(Quantities.FORMAT_ERROR);
        }
    }

    @Test
    void anUnknownSuffixIsASuffixErrorAndGoodQuantitiesAreKept() throws Exception {
        assertThat(GoDecoding.normalize(yaml("spec: {overhead: {memory: 32MMi}}"), Pod.class))
                .contains("unable to parse quantity's suffix");
        assertThat(GoDecoding.normalize(yaml("spec: {overhead: {memory: 1e99999999999}}"), Pod.class)).isPresent();
        JsonNode good = yaml("spec: {overhead: {memory: ' 64Mi ', cpu: 1.5, pods: 3}}");
        assertThat(GoDecoding.normalize(good, Pod.class)).isEmpty();
        assertThat(good.at("/spec/overhead/memory").asText()).isEqualTo("64Mi");
        assertThat(good.at("/spec/overhead/cpu").asText()).isEqualTo("1.5");
        assertThat(good.at("/spec/overhead/pods").asText()).isEqualTo("3");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "dmFsdWU=|-1", "dmFs<NL>dWU=|-1", "<EMPTY>|-1", "admin|4", "billy|4", "abc|0", "ab=c|2", "YQ==YQ==|4", "YQ=|3",
        "a$bc|1"})
    void base64AsGosStandardDecoderReadsIt(String text, int at) {
        assertThat(GoDecoding.base64Error(text.replace("<EMPTY>", "").replace("<NL>", "\n").getBytes(StandardCharsets.UTF_8))).as(text).isEqualTo(at);
    }

    @Test
    void secretDataAndConfigMapBinaryDataMustBeBase64() throws Exception {
        assertThat(GoDecoding.normalize(yaml("data: {user: admin, ok: dmFsdWU=}"), Secret.class))
                .contains("illegal base64 data at input byte 4");
        assertThat(GoDecoding.normalize(yaml("binaryData: {b: 'a b'}"), ConfigMap.class))
                .contains("illegal base64 data at input byte 1");
        assertThat(GoDecoding.normalize(yaml("data: {plain: admin}"), ConfigMap.class)).isEmpty();
    }

    @Test
    void timesParseAsGoDoesAndAreStoredInCanonicalUtc() throws Exception {
        JsonNode event = yaml("""
                firstTimestamp: '2026-01-01T02:00:00.75+02:00'
                eventTime: '2026-01-01T00:00:00.123456Z'
                """);
        assertThat(GoDecoding.normalize(event, Event.class)).isEmpty();
        assertThat(event.get("firstTimestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(event.get("eventTime").asText()).isEqualTo("2026-01-01T00:00:00.123456Z");
        assertThat(bad("lastTimestamp: '99999999999999999999999'", Event.class)).contains(
                "parsing time \"99999999999999999999999\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"9999999999999999999\" as \"-\"");
        assertThat(bad("lastTimestamp: 'yesterday'", Event.class)).contains(
                "parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\"");
        assertThat(bad("lastTimestamp: '2026-13-45T99:99:99Z'", Event.class))
                .contains("parsing time \"2026-13-45T99:99:99Z\": month out of range");
        assertThat(bad("lastTimestamp: '2026-02-30T00:00:00Z'", Event.class))
                .contains("parsing time \"2026-02-30T00:00:00Z\": day out of range");
        assertThat(bad("lastTimestamp: '2026-01-01T00:00:00Z1e9'", Event.class))
                .contains("parsing time \"2026-01-01T00:00:00Z1e9\": extra text: \"1e9\"");
        assertThat(bad("spec: {renewTime: '2026-01-01T00:00:00Z'}", Lease.class)).contains(
                "parsing time \"2026-01-01T00:00:00Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"Z\" as \".000000\"");
    }

    private static Optional<String> bad(String yaml, Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> type)
            throws Exception {
        return GoDecoding.normalize(yaml(yaml), type);
    }
}
