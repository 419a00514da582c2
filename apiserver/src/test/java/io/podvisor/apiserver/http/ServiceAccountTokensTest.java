package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.podvisor.api.resources.ResourceTypes;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TokenRequest ({@code serviceaccounts/{name}/token}) and the API server accepting the tokens it issues. */
class ServiceAccountTokensTest extends ServerTestBase {

    static final String ROBOT = "/api/v1/namespaces/default/serviceaccounts/robot/token";
    static final String WHOAMI = "/apis/authentication.k8s.io/v1/selfsubjectreviews";

    @BeforeEach
    void account() {
        registry.put(ResourceTypes.SERVICE_ACCOUNTS, new ServiceAccountBuilder().withNewMetadata().withName("robot")
                .withNamespace("default").withUid("uid-robot").endMetadata().build());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, "application/json", body);
    }

    HttpResponse<String> whoamiAs(String bearer) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(WHOAMI)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode part(String jwt, int i) throws Exception {
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]), StandardCharsets.UTF_8));
    }

    @Test
    void issuesABoundTokenWithUpstreamsClaims() throws Exception {
        HttpResponse<String> r = post(ROBOT, "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\",\"spec\":{}}");
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode body = json(r);
        assertThat(body.path("kind").asText()).isEqualTo("TokenRequest");
        assertThat(body.path("spec").path("expirationSeconds").asLong()).isEqualTo(3600);
        String jwt = body.path("status").path("token").asText();
        JsonNode header = part(jwt, 0);
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(header.path("kid").asText()).isNotEmpty();
        JsonNode claims = part(jwt, 1);
        assertThat(claims.path("iss").asText()).isEqualTo("https://kubernetes.default.svc.cluster.local");
        assertThat(claims.path("aud").get(0).asText()).isEqualTo("https://kubernetes.default.svc.cluster.local");
        assertThat(claims.path("sub").asText()).isEqualTo("system:serviceaccount:default:robot");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);
        assertThat(claims.path("exp").asLong()).isEqualTo(clock.now().getEpochSecond() + 3600);
        assertThat(claims.path("jti").asText()).isNotEmpty();
        JsonNode k8s = claims.path("kubernetes.io");
        assertThat(k8s.path("namespace").asText()).isEqualTo("default");
        assertThat(k8s.path("serviceaccount").path("name").asText()).isEqualTo("robot");
        assertThat(k8s.path("serviceaccount").path("uid").asText()).isEqualTo("uid-robot");
        assertThat(body.path("status").path("expirationTimestamp").asText())
                .isEqualTo(io.podvisor.api.Times.format(clock.now().plusSeconds(3600)));
        assertThat(Files.getPosixFilePermissions(dir.resolve("pki/sa.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        HttpResponse<String> custom = post(ROBOT, "{\"spec\":{\"audiences\":[\"vault\"],\"expirationSeconds\":600}}");
        JsonNode customClaims = part(json(custom).path("status").path("token").asText(), 1);
        assertThat(customClaims.path("aud").get(0).asText()).isEqualTo("vault");
        assertThat(customClaims.path("exp").asLong() - customClaims.path("iat").asLong()).isEqualTo(600);
    }

    @Test
    void aShortDurationAndAMissingAccountAreRefusedAsUpstream() throws Exception {
        HttpResponse<String> shortLived = post(ROBOT, "{\"spec\":{\"expirationSeconds\":599}}");
        assertThat(shortLived.statusCode()).isEqualTo(422);
        assertThat(json(shortLived).path("message").asText()).isEqualTo("TokenRequest.authentication.k8s.io \"\" is invalid: "
                + "spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes");
        HttpResponse<String> missing = post("/api/v1/namespaces/default/serviceaccounts/ghost/token", "{}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("message").asText()).isEqualTo("serviceaccounts \"ghost\" not found");
        assertThat(get(ROBOT).statusCode()).isEqualTo(405);
    }

    @Test
    void theServerAcceptsItsTokenAsTheServiceAccountUntilItExpiresOrTheAccountGoes() throws Exception {
        String jwt = json(post(ROBOT, "{\"spec\":{\"expirationSeconds\":600}}")).path("status").path("token").asText();
        HttpResponse<String> me = whoamiAs(jwt);
        assertThat(me.statusCode()).isEqualTo(201);
        JsonNode user = json(me).path("status").path("userInfo");
        assertThat(user.path("username").asText()).isEqualTo("system:serviceaccount:default:robot");
        assertThat(ReviewApiTest.texts(user.path("groups")))
                .containsExactly("system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated");

        String[] parts = jwt.split("\\.");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("robot", "admin")
                        .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(whoamiAs(forged).statusCode()).isEqualTo(401);

        String forVault = json(post(ROBOT, "{\"spec\":{\"audiences\":[\"vault\"]}}")).path("status").path("token").asText();
        assertThat(whoamiAs(forVault).statusCode()).isEqualTo(401);

        clock.advance(Duration.ofSeconds(600));
        assertThat(whoamiAs(jwt).statusCode()).isEqualTo(401);

        String fresh = json(post(ROBOT, "{}")).path("status").path("token").asText();
        assertThat(whoamiAs(fresh).statusCode()).isEqualTo(201);
        registry.delete(ResourceTypes.SERVICE_ACCOUNTS, "default", "robot", null);
        assertThat(whoamiAs(fresh).statusCode()).isEqualTo(401);
    }

    @Test
    void discoveryListsTheTokenSubresource() throws Exception {
        JsonNode v1 = json(get("/api/v1"));
        JsonNode token = find(v1.path("resources"), "serviceaccounts/token", "name");
        assertThat(token.path("kind").asText()).isEqualTo("TokenRequest");
        assertThat(token.path("group").asText()).isEqualTo("authentication.k8s.io");
        assertThat(ReviewApiTest.texts(token.path("verbs"))).containsExactly("create");
    }
}
