package io.podvisor.runtime.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podvisor.runtime.image.RegistryAuth;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Gets bearer tokens from a registry's token server (the distribution token spec): {@code GET realm?service=…&scope=…}
 * anonymously or with HTTP Basic credentials, or {@code POST realm} with {@code grant_type=refresh_token} for an
 * identity token.
 */
final class TokenClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String CLIENT_ID = "podvisor";

    private final HttpClient http;

    TokenClient(HttpClient http) {
        this.http = http;
    }

    /**
     * A token for {@code challenge}'s realm, service and scope ({@code scope} when the challenge names none).
     *
     * @param auth the credentials, or null for an anonymous token
     */
    String token(Challenge challenge, String scope, RegistryAuth auth) throws RegistryException, InterruptedException {
        String realm = challenge.parameter("realm");
        URI realmUri;
        try {
            realmUri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new RegistryException("invalid token realm \"" + realm + "\"");
        }
        if (realmUri.getScheme() == null || !realmUri.getScheme().matches("https?")) {
            throw new RegistryException("invalid token realm \"" + realm + "\"");
        }
        Map<String, String> form = new LinkedHashMap<>();
        if (!challenge.parameter("service").isEmpty()) {
            form.put("service", challenge.parameter("service"));
        }
        String wanted = challenge.parameter("scope").isEmpty() ? scope : challenge.parameter("scope");
        form.put("scope", wanted);
        if (auth != null && !auth.identityToken().isEmpty()) {
            return refresh(realmUri, form, auth.identityToken());
        }
        String query = encode(form);
        URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        boolean basic = auth != null && !auth.username().isEmpty();
        if (basic) {
            request.header("Authorization", basic(auth));
        }
        return send(request.build(), basic ? "failed to fetch oauth token: " : "failed to fetch anonymous token: ");
    }

    private String refresh(URI realm, Map<String, String> form, String refreshToken)
            throws RegistryException, InterruptedException {
        Map<String, String> body = new LinkedHashMap<>(form);
        body.put("grant_type", "refresh_token");
        body.put("refresh_token", refreshToken);
        body.put("client_id", CLIENT_ID);
        HttpRequest request = HttpRequest.newBuilder(realm).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(encode(body)))
                .build();
        return send(request, "failed to fetch oauth token: ");
    }

    private String send(HttpRequest request, String prefix) throws RegistryException, InterruptedException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RegistryException(prefix + "failed to do request: " + RegistryClient.describe(request, e), e);
        }
        if (response.statusCode() != 200) {
            throw new RegistryException(prefix + RegistryException.unexpectedStatus(request.method(),
                    request.uri().toString(), response.statusCode()).getMessage());
        }
        try {
            JsonNode json = JSON.readTree(response.body());
            String token = json.path("token").asText("");
            if (token.isEmpty()) {
                token = json.path("access_token").asText("");
            }
            if (token.isEmpty()) {
                throw new RegistryException(prefix + "no token in the token server's response");
            }
            return token;
        } catch (IOException e) {
            throw new RegistryException(prefix + "unable to decode token response: " + e.getMessage(), e);
        }
    }

    /** The {@code Authorization} value of HTTP Basic credentials. */
    static String basic(RegistryAuth auth) {
        String pair = auth.username() + ":" + auth.password();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
