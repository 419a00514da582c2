package io.podvisor.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.errors.FieldError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The review APIs a client asks about itself: {@code authentication.k8s.io/v1}
 * {@code selfsubjectreviews} (who am I: the caller's user name and groups) and
 * {@code authorization.k8s.io/v1} {@code selfsubjectaccessreviews} (may I) and
 * {@code selfsubjectrulesreviews} (what may I), {@code create} only. Nothing is stored: the answer
 * is the request with its {@code status}, 201 as upstream. podvisor has no authorization, so its
 * one user, a member of {@code system:masters}, may do everything: every valid access review is
 * allowed (with no reason, as upstream's privileged-group authorizer answers), and the rules are
 * those upstream's default roles give such a user (cluster-admin's, basic-user's, discovery's).
 */
final class ReviewApi {

    static final String AUTHENTICATION = "authentication.k8s.io";
    static final String AUTHORIZATION = "authorization.k8s.io";
    static final String V1 = "v1";
    private static final List<String> CREATE = List.of("create");

    static final List<ServedGroup> SERVED = List.of(
            new ServedGroup(AUTHENTICATION, V1, List.of(
                    new ServedGroup.Resource("selfsubjectreviews", "selfsubjectreview", "SelfSubjectReview", false, CREATE))),
            new ServedGroup(AUTHORIZATION, V1, List.of(
                    new ServedGroup.Resource("selfsubjectaccessreviews", "selfsubjectaccessreview",
                            "SelfSubjectAccessReview", false, CREATE),
                    new ServedGroup.Resource("selfsubjectrulesreviews", "selfsubjectrulesreview",
                            "SelfSubjectRulesReview", false, CREATE))));

    /** The non-resource URLs upstream's {@code system:discovery} and {@code system:public-info-viewer} let everyone get. */
    private static final List<List<String>> DISCOVERY_URLS = List.of(
            List.of("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz",
                    "/version", "/version/"),
            List.of("/healthz", "/livez", "/readyz", "/version", "/version/"));

    private ReviewApi() {}

    /** Serves {@code rest}, the path after {@code /apis/<group>/v1/}. */
    static void handle(Exchange ex, Auth.User user, String group, List<String> rest) throws IOException {
        ServedGroup served = Discovery.served(group, V1).orElseThrow();
        ServedGroup.Resource resource = rest.size() != 1 ? null
                : served.resources().stream().filter(r -> r.plural().equals(rest.getFirst())).findFirst().orElse(null);
        if (resource == null) {
            throw new ApiException.NotFound(ApiHandler.NOT_FOUND);
        }
        if (!ex.method().equals("POST")) {
            throw ResourceHandler.notAllowed();
        }
        JsonNode body = Bodies.object(ex.header("Content-Type"), ex.body());
        JsonNode spec = body.path("spec");
        ObjectNode answer = Json.object();
        answer.put("kind", resource.kind());
        answer.put("apiVersion", served.groupVersion());
        answer.putObject("metadata").putNull("creationTimestamp");
        switch (resource.plural()) {
            case "selfsubjectreviews" -> answer.set("status", userInfo(user));
            case "selfsubjectaccessreviews" -> {
                answer.set("spec", accessReviewSpec(spec));
                answer.putObject("status").put("allowed", true);
            }
            default -> {
                String namespace = spec.path("namespace").asText("");
                if (namespace.isEmpty()) {
                    throw new ApiException.BadRequest("no namespace on request");
                }
                answer.putObject("spec").put("namespace", namespace);
                answer.set("status", rules());
            }
        }
        ex.sendJson(201, answer);
    }

    private static ObjectNode userInfo(Auth.User user) {
        ObjectNode status = Json.object();
        ObjectNode info = status.putObject("userInfo");
        info.put("username", user.name());
        ArrayNode groups = info.putArray("groups");
        user.groups().forEach(groups::add);
        return status;
    }

    /** The spec, checked as upstream's validation does: exactly one of the two attribute blocks. */
    private static JsonNode accessReviewSpec(JsonNode spec) {
        boolean resource = spec.path("resourceAttributes").isObject();
        JsonNode nonResource = spec.path("nonResourceAttributes");
        List<FieldError> errors = new ArrayList<>();
        if (resource && nonResource.isObject()) {
            errors.add(FieldError.invalid("spec.nonResourceAttributes",
                    "authorization.NonResourceAttributes{Path:" + FieldError.quote(nonResource.path("path").asText(""))
                            + ", Verb:" + FieldError.quote(nonResource.path("verb").asText("")) + "}",
                    "cannot be specified in combination with resourceAttributes"));
        }
        if (!resource && !nonResource.isObject()) {
            errors.add(FieldError.invalid("spec.resourceAttributes", "\"null\"",
                    "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }
        if (!errors.isEmpty()) {
            throw new ApiException.Invalid(AUTHORIZATION, "SelfSubjectAccessReview", "", errors);
        }
        ObjectNode out = Json.object();
        for (String field : List.of("resourceAttributes", "nonResourceAttributes")) {
            if (spec.path(field).isObject()) {
                out.set(field, spec.get(field));
            }
        }
        return out;
    }

    /** The rules of a {@code system:masters} member under upstream's default roles. */
    private static ObjectNode rules() {
        ObjectNode status = Json.object();
        ArrayNode resourceRules = status.putArray("resourceRules");
        resourceRule(resourceRules, List.of("*"), List.of("*"), List.of("*"));
        resourceRule(resourceRules, CREATE, List.of(AUTHENTICATION), List.of("selfsubjectreviews"));
        resourceRule(resourceRules, CREATE, List.of(AUTHORIZATION),
                List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews"));
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        nonResourceRule(nonResourceRules, List.of("*"), List.of("*"));
        DISCOVERY_URLS.forEach(urls -> nonResourceRule(nonResourceRules, List.of("get"), urls));
        status.put("incomplete", false);
        return status;
    }

    private static void resourceRule(ArrayNode rules, List<String> verbs, List<String> apiGroups, List<String> resources) {
        ObjectNode rule = rules.addObject();
        strings(rule.putArray("verbs"), verbs);
        strings(rule.putArray("apiGroups"), apiGroups);
        strings(rule.putArray("resources"), resources);
    }

    private static void nonResourceRule(ArrayNode rules, List<String> verbs, List<String> urls) {
        ObjectNode rule = rules.addObject();
        strings(rule.putArray("verbs"), verbs);
        strings(rule.putArray("nonResourceURLs"), urls);
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
