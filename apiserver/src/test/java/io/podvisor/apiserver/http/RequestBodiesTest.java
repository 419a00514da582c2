package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvisor.apiserver.registry.Registry;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Bodies Go's decoding reads differently from a Jackson tree: repeated keys and bytes after the object. */
class RequestBodiesTest extends ServerTestBase {

    private static final String DUPLICATED = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"demo","name":"other"},
             "spec":{"bogus":1,"containers":[{"name":"main","image":"nginx","image":"busybox"}]}}""";

    private static void assertBadRequest(HttpResponse<String> r, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode s = json(r);
        assertThat(s.path("kind").asText()).isEqualTo("Status");
        assertThat(s.path("reason").asText()).isEqualTo("BadRequest");
        assertThat(s.path("message").asText()).isEqualTo(message);
    }

    @Test
    void aBodyThatIsNoObjectIsRefusedNamingItsKindAsGoDoes() throws Exception {
        String struct = " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
                + "Kind string \"json:\\\"kind,omitempty\\\"\" }";
        for (String[] c : new String[][] {{"[1]", "array"}, {"\"pod\"", "string"}, {"7", "number"}, {"true", "bool"},
                {"null", "null"}}) {
            assertBadRequest(send("POST", "/api/v1/namespaces/default/pods", "application/json", c[0]),
                    "couldn't get version/kind; json parse error: json: cannot unmarshal " + c[1] + struct);
        }
        assertThat(registry.lastWrite).isNull();
    }

    @Test
    void repeatedKeysFollowFieldValidation() throws Exception {
        assertBadRequest(send("POST", "/api/v1/namespaces/default/pods?fieldValidation=Strict", "application/json",
                DUPLICATED), "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: "
                        + "unknown field \"spec.bogus\", duplicate field \"metadata.name\", "
                        + "duplicate field \"spec.containers[0].image\"");
        assertThat(registry.lastWrite).isNull();

        HttpResponse<String> warned = send("POST", "/api/v1/namespaces/default/pods", "application/json", DUPLICATED);
        assertThat(warned.statusCode()).isEqualTo(201);
        assertThat(warned.headers().allValues("Warning")).containsExactly(
                "299 - \"duplicate field \\\"metadata.name\\\"\"",
                "299 - \"duplicate field \\\"spec.containers[0].image\\\"\"");
        assertThat(json(warned).path("metadata").path("name").asText()).as("the last value counts, as in Go")
                .isEqualTo("other");
        assertThat(registry.lastWrite.fieldValidation()).isEqualTo(Registry.FieldValidation.WARN);

        HttpResponse<String> ignored = send("PUT", "/api/v1/namespaces/default/pods/other?fieldValidation=Ignore",
                "application/json", DUPLICATED);
        assertThat(ignored.statusCode()).isEqualTo(200);
        assertThat(ignored.headers().allValues("Warning")).isEmpty();
    }

    @Test
    void repeatedYamlKeysAreFoundAsUpstreamsStrictYamlConversionFindsThem() throws Exception {
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: y2
                  name: y3
                spec:
                  bogus: 1
                  containers: [{name: c, image: i, image: j}]
                """;
        assertBadRequest(send("POST", "/api/v1/namespaces/default/pods?fieldValidation=Strict", "application/yaml", yaml),
                "Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: error converting YAML to JSON: "
                        + "yaml: unmarshal errors:\n  line 5: key \"name\" already set in map\n"
                        + "  line 8: key \"image\" already set in map, unknown field \"spec.bogus\"");
        assertThat(registry.lastWrite).isNull();

        HttpResponse<String> warned = send("POST", "/api/v1/namespaces/default/pods", "application/yaml", yaml);
        assertThat(warned.statusCode()).isEqualTo(201);
        assertThat(warned.headers().allValues("Warning")).contains("299 - \"error converting YAML to JSON: yaml: unmarshal "
                + "errors:   line 5: key \\\"name\\\" already set in map   line 8: key \\\"image\\\" already set in map\"");
    }

    @Test
    void bytesAfterTheObjectAreRefused() throws Exception {
        String pod = ResourceRoutesTest.POD;
        assertBadRequest(send("POST", "/api/v1/namespaces/default/pods", "application/json", pod + " garbage"),
                "couldn't get version/kind; json parse error: invalid character 'g' after top-level value");
        assertBadRequest(send("PUT", "/api/v1/namespaces/default/pods/demo", "application/json", pod + pod),
                "couldn't get version/kind; json parse error: invalid character '{' after top-level value");
        assertThat(registry.lastWrite).isNull();
        assertThat(send("POST", "/api/v1/namespaces/default/pods", "application/json", pod + " \r\n\t ").statusCode())
                .isEqualTo(201);
    }
}
