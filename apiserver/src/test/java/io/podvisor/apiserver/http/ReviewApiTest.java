package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code selfsubjectreviews}, {@code selfsubjectaccessreviews} and {@code selfsubjectrulesreviews}. */
class ReviewApiTest extends ServerTestBase {

    static final String AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
    static final String SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, "application/json", body);
    }

    @Test
    void whoamiAnswersTheTokensUserAndGroups() throws Exception {
        HttpResponse<String> r = post("/apis/authentication.k8s.io/v1/selfsubjectreviews",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\",\"metadata\":{}}");
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode body = json(r);
        assertThat(body.path("kind").asText()).isEqualTo("SelfSubjectReview");
        assertThat(body.path("apiVersion").asText()).isEqualTo("authentication.k8s.io/v1");
        assertThat(body.path("status").path("userInfo").path("username").asText()).isEqualTo("podvisor-admin");
        assertThat(texts(body.path("status").path("userInfo").path("groups")))
                .containsExactly("system:masters", "system:authenticated");
    }

    @Test
    void anAccessReviewIsAllowedAndEchoesItsSpec() throws Exception {
        HttpResponse<String> r = post(SSAR, "{\"kind\":\"SelfSubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\","
                + "\"spec\":{\"resourceAttributes\":{\"namespace\":\"default\",\"verb\":\"create\",\"resource\":\"pods\"}}}");
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode body = json(r);
        assertThat(body.path("kind").asText()).isEqualTo("SelfSubjectAccessReview");
        assertThat(body.path("status").path("allowed").asBoolean()).isTrue();
        assertThat(body.path("spec").path("resourceAttributes").path("resource").asText()).isEqualTo("pods");

        HttpResponse<String> url = post(SSAR, "{\"spec\":{\"nonResourceAttributes\":{\"path\":\"/logs\",\"verb\":\"get\"}}}");
        assertThat(url.statusCode()).isEqualTo(201);
        assertThat(json(url).path("status").path("allowed").asBoolean()).isTrue();
    }

    @Test
    void anAccessReviewNeedsExactlyOneAttributeBlock() throws Exception {
        HttpResponse<String> neither = post(SSAR, "{\"spec\":{}}");
        assertThat(neither.statusCode()).isEqualTo(422);
        assertThat(json(neither).path("message").asText()).isEqualTo("SelfSubjectAccessReview.authorization.k8s.io \"\" is invalid: "
                + "spec.resourceAttributes: Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified");
        assertThat(json(neither).path("details").path("causes").get(0).path("field").asText()).isEqualTo("spec.resourceAttributes");

        HttpResponse<String> both = post(SSAR, "{\"spec\":{\"resourceAttributes\":{\"verb\":\"get\"},"
                + "\"nonResourceAttributes\":{\"path\":\"/x\",\"verb\":\"get\"}}}");
        assertThat(both.statusCode()).isEqualTo(422);
        assertThat(json(both).path("message").asText()).endsWith("spec.nonResourceAttributes: Invalid value: "
                + "authorization.NonResourceAttributes{Path:\"/x\", Verb:\"get\"}: cannot be specified in combination with resourceAttributes");
    }

    @Test
    void rulesReviewListsEverythingForTheAdminAndNeedsANamespace() throws Exception {
        HttpResponse<String> r = post("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                "{\"spec\":{\"namespace\":\"default\"}}");
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode status = json(r).path("status");
        assertThat(texts(status.path("resourceRules").get(0).path("verbs"))).containsExactly("*");
        assertThat(texts(status.path("resourceRules").get(0).path("apiGroups"))).containsExactly("*");
        assertThat(texts(status.path("nonResourceRules").get(0).path("nonResourceURLs"))).containsExactly("*");
        assertThat(status.path("incomplete").asBoolean(true)).isFalse();

        HttpResponse<String> none = post("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", "{\"spec\":{}}");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(json(none).path("message").asText()).isEqualTo("no namespace on request");
    }

    @Test
    void reviewsAreCreateOnlyAndUnknownOnes404() throws Exception {
        assertThat(get(SSAR).statusCode()).isEqualTo(405);
        assertThat(post("/apis/authorization.k8s.io/v1/subjectaccessreviews", "{}").statusCode()).isEqualTo(404);
        assertThat(post(SSAR + "/x", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void discoveryListsTheReviewsForCreate() throws Exception {
        JsonNode legacy = json(get("/apis/authorization.k8s.io/v1"));
        assertThat(legacy.path("resources").findValuesAsText("name"))
                .containsExactly("selfsubjectaccessreviews", "selfsubjectrulesreviews");
        assertThat(texts(legacy.path("resources").get(0).path("verbs"))).containsExactly("create");
        assertThat(json(get("/apis")).path("groups").findValuesAsText("name"))
                .contains("authentication.k8s.io", "authorization.k8s.io");
        assertThat(json(get("/apis/authentication.k8s.io")).path("preferredVersion").path("groupVersion").asText())
                .isEqualTo("authentication.k8s.io/v1");
        JsonNode authn = find(json(get("/apis", "Accept", AGGREGATED)).path("items"), "authentication.k8s.io", "metadata", "name");
        JsonNode resource = authn.path("versions").get(0).path("resources").get(0);
        assertThat(resource.path("resource").asText()).isEqualTo("selfsubjectreviews");
        assertThat(resource.path("scope").asText()).isEqualTo("Cluster");
        assertThat(resource.path("responseKind").path("kind").asText()).isEqualTo("SelfSubjectReview");
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
