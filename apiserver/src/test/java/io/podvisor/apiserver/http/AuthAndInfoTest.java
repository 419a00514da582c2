package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class AuthAndInfoTest extends ServerTestBase {

    private HttpResponse<String> anonymous(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsWithoutTokenAre401AndReachNothing() throws Exception {
        for (String path : new String[] {"/api", "/apis", "/api/v1/namespaces/default/pods", "/openapi/v3", "/nope"}) {
            HttpResponse<String> r = anonymous("GET", path);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            JsonNode s = json(r);
            assertThat(s.path("kind").asText()).isEqualTo("Status");
            assertThat(s.path("reason").asText()).isEqualTo("Unauthorized");
            assertThat(s.path("code").asInt()).isEqualTo(401);
        }
        assertThat(anonymous("POST", "/api/v1/namespaces/default/pods").statusCode()).isEqualTo(401);
        assertThat(anonymous("POST", "/version").statusCode()).isEqualTo(401);
        assertThat(registry.calls.get()).isZero();
    }

    @Test
    void wrongTokenIs401EvenOnPublicPaths() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/version"))
                .header("Authorization", "Bearer " + "0".repeat(64)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        HttpResponse<String> basic = http.send(HttpRequest.newBuilder(uri("/api"))
                .header("Authorization", "Basic " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(basic.statusCode()).isEqualTo(401);
    }

    @Test
    void versionAndHealthAreServedAnonymously() throws Exception {
        HttpResponse<String> v = anonymous("GET", "/version");
        assertThat(v.statusCode()).isEqualTo(200);
        JsonNode version = json(v);
        assertThat(version.path("major").asText()).isEqualTo("1");
        assertThat(version.path("minor").asText()).isEqualTo("33");
        assertThat(version.path("gitVersion").asText()).isEqualTo("v1.33.0");
        assertThat(version.path("platform").asText()).startsWith("linux/");
        for (String p : new String[] {"/healthz", "/livez", "/readyz"}) {
            HttpResponse<String> r = anonymous("GET", p);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok");
        }
    }

    @Test
    void readyzFollowsTheReadyFlag() throws Exception {
        server.setReady(false);
        assertThat(anonymous("GET", "/readyz").statusCode()).isEqualTo(500);
        server.setReady(true);
        assertThat(anonymous("GET", "/readyz").body()).isEqualTo("ok");
    }

    @Test
    void tokenCaAndKubeconfigSurviveARestart() throws Exception {
        String ca = Files.readString(dir.resolve("pki/ca.crt"));
        String kubeconfig = Files.readString(dir.resolve("kubeconfig"));
        assertThat(kubeconfig).contains("server: https://127.0.0.1:" + port).contains("token: " + token)
                .contains("current-context: podvisor").contains("namespace: default")
                .contains("certificate-authority-data: ");
        server.stop();
        ApiServer again = new ApiServer(new ApiServer.Config(dir, 0, "127.0.0.1", "node-1"), registry, streams, clock);
        try {
            int newPort = again.start();
            assertThat(Files.readString(dir.resolve("token")).trim()).isEqualTo(token);
            assertThat(Files.readString(dir.resolve("pki/ca.crt"))).isEqualTo(ca);
            assertThat(Files.readString(dir.resolve("kubeconfig"))).contains("server: https://127.0.0.1:" + newPort);
            port = newPort;
            assertThat(get("/api").statusCode()).isEqualTo(200);
        } finally {
            again.stop();
        }
    }
}
