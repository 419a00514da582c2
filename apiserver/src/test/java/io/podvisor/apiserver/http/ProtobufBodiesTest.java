package io.podvisor.apiserver.http;

import static io.podvisor.apiserver.http.ProtobufFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvisor.api.errors.ApiException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtobufBodiesTest {

    private static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

    private static JsonNode decode(String hex) {
        ProtobufBodies.Decoded d = ProtobufBodies.decode(bytes(hex), Bodies.UNKNOWN_FORMAT);
        assertThat(d.skipped()).as("fields missing from the schema table").isEmpty();
        return d.object();
    }

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text.replace('\'', '"'));
    }

    @Test
    void configMapWithABinaryValue() throws Exception {
        assertThat(decode(ProtobufFixtures.CONFIGMAP)).isEqualTo(json("{'kind':'ConfigMap','apiVersion':'v1',"
                + "'metadata':{'name':'cm1'},'data':{'a':'b'},'binaryData':{'bin':'YmluAP8B'}}"));
    }

    @Test
    void genericSecretDataIsBase64() throws Exception {
        assertThat(decode(ProtobufFixtures.SECRET)).isEqualTo(json("{'kind':'Secret','apiVersion':'v1',"
                + "'metadata':{'name':'s1'},'data':{'pw':'czNjcjN0','user':'YWRtaW4='}}"));
    }

    @Test
    void namespaceAndServiceAccountKeepOnlyTheName() throws Exception {
        assertThat(decode(ProtobufFixtures.NAMESPACE))
                .isEqualTo(json("{'kind':'Namespace','apiVersion':'v1','metadata':{'name':'ns1'}}"));
        assertThat(decode(ProtobufFixtures.SERVICE_ACCOUNT))
                .isEqualTo(json("{'kind':'ServiceAccount','apiVersion':'v1','metadata':{'name':'sa1'}}"));
    }

    @Test
    void jobWithImageAndCommand() throws Exception {
        assertThat(decode(ProtobufFixtures.JOB)).isEqualTo(json("{'kind':'Job','apiVersion':'batch/v1',"
                + "'metadata':{'name':'j1'},'spec':{'template':{'spec':{'containers':[{'name':'j1','image':'busybox',"
                + "'command':['sh','-c','echo hi']}],'restartPolicy':'Never'}}}}"));
    }

    @Test
    void clusterIpServiceWithAnIntTargetPort() throws Exception {
        assertThat(decode(ProtobufFixtures.SERVICE)).isEqualTo(json("{'kind':'Service','apiVersion':'v1',"
                + "'metadata':{'name':'svc1','labels':{'app':'svc1'}},'spec':{'ports':[{'name':'80-8080',"
                + "'protocol':'TCP','port':80,'targetPort':8080}],'selector':{'app':'svc1'},'type':'ClusterIP'}}"));
    }

    @Test
    void cronJobAndDeployment() throws Exception {
        assertThat(decode(ProtobufFixtures.CRON_JOB)).isEqualTo(json("{'kind':'CronJob','apiVersion':'batch/v1',"
                + "'metadata':{'name':'c1'},'spec':{'schedule':'*/1 * * * *','jobTemplate':{'metadata':{'name':'c1'},"
                + "'spec':{'template':{'spec':{'containers':[{'name':'c1','image':'busybox','command':['date']}],"
                + "'restartPolicy':'OnFailure'}}}}}}"));
        assertThat(decode(ProtobufFixtures.DEPLOYMENT)).isEqualTo(json("{'kind':'Deployment','apiVersion':'apps/v1',"
                + "'metadata':{'name':'d1','labels':{'app':'d1'}},'spec':{'replicas':2,'selector':{'matchLabels':"
                + "{'app':'d1'}},'template':{'metadata':{'labels':{'app':'d1'}},'spec':{'containers':[{'name':'nginx',"
                + "'image':'nginx','ports':[{'containerPort':80}]}]}}}}"));
    }

    @Test
    void bodiesHookDecodesProtobufByContentType() throws Exception {
        JsonNode viaBodies = Bodies.object(PROTOBUF, bytes(ProtobufFixtures.CONFIGMAP));
        assertThat(viaBodies.path("binaryData").path("bin").asText()).isEqualTo("YmluAP8B");
    }

    @Test
    void timesBecomeRfc3339AndUnknownFieldsAreSkippedWithTheirPath() throws Exception {
        byte[] time = new Proto().varint(1, 1_700_000_000L).varint(2, 5).bytes();
        byte[] meta = new Proto().string(1, "x").message(8, time).varint(99, 7).bytes();
        byte[] raw = new Proto().message(1, meta).string(50, "junk").bytes();
        ProtobufBodies.Decoded d = ProtobufBodies.decode(envelope("v1", "ConfigMap", raw), Bodies.UNKNOWN_FORMAT);
        assertThat(d.object()).isEqualTo(json("{'kind':'ConfigMap','apiVersion':'v1',"
                + "'metadata':{'name':'x','creationTimestamp':'2023-11-14T22:13:20Z'}}"));
        assertThat(d.skipped()).containsExactly("metadata#99", "#50");
        assertThatThrownBy(() -> Bodies.object(PROTOBUF, envelope("v1", "ConfigMap", raw)))
                .as("a body with fields the schema lacks is refused, not stored without them")
                .isInstanceOf(ApiException.UnsupportedMediaType.class)
                .hasMessage(Bodies.UNKNOWN_FORMAT + " (protobuf fields not decoded here: metadata#99, #50)");
    }

    @Test
    void typeOutsideTheTableIs415WithTheUsualMessage() {
        byte[] body = envelope("v1", "Node", new Proto().message(1, new Proto().string(1, "n").bytes()).bytes());
        assertThatThrownBy(() -> Bodies.object(PROTOBUF, body))
                .isInstanceOf(ApiException.UnsupportedMediaType.class)
                .hasMessageContaining(Bodies.UNKNOWN_FORMAT);
    }

    @Test
    void missingMagicOrTruncatedBodyIs400() {
        assertThatThrownBy(() -> Bodies.object(PROTOBUF, "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessageContaining("expected prefix [107 56 115 0]");
        byte[] full = bytes(ProtobufFixtures.JOB);
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 20);
        assertThatThrownBy(() -> Bodies.object(PROTOBUF, cut)).isInstanceOf(ApiException.BadRequest.class);
    }

    private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
        byte[] typeMeta = new Proto().string(1, apiVersion).string(2, kind).bytes();
        byte[] unknown = new Proto().message(1, typeMeta).message(2, raw).bytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x6b, 0x38, 0x73, 0x00});
        out.writeBytes(unknown);
        return out.toByteArray();
    }

    /** A tiny protobuf writer for hand-made bodies. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private void raw(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        Proto varint(int field, long v) {
            raw((long) field << 3);
            raw(v);
            return this;
        }

        Proto message(int field, byte[] b) {
            raw(((long) field << 3) | 2);
            raw(b.length);
            out.writeBytes(b);
            return this;
        }

        Proto string(int field, String s) {
            return message(field, s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
