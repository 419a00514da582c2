package io.podvisor.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.Times;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.errors.FieldError;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry;
import io.podvisor.apiserver.tls.ServiceAccountKey;
import io.podvisor.core.Clock;
import java.io.IOException;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Service-account tokens: the {@code serviceaccounts/{name}/token} subresource (TokenRequest)
 * issues a bound token, a JWT signed RS256 with the data dir's {@link ServiceAccountKey} with
 * upstream's claims ({@code iss} and default {@code aud} {@code https://kubernetes.default.svc.cluster.local},
 * {@code sub} {@code system:serviceaccount:<ns>:<name>}, {@code iat}/{@code nbf}/{@code exp},
 * {@code jti}, and the {@code kubernetes.io} block naming the namespace and the account with its
 * uid); and the API server accepts such a token, signature, issuer, audience and time checked and the
 * account still there with that uid, as that service account (authentication only: everything
 * authenticated is allowed).
 */
final class ServiceAccountTokens {

    static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    static final long DEFAULT_SECONDS = 3600;
    static final long MIN_SECONDS = 600;
    static final long MAX_SECONDS = 1L << 32;
    private static final String PREFIX = "system:serviceaccount:";

    private final Registry registry;
    private final ServiceAccountKey key;
    private final Clock clock;

    ServiceAccountTokens(Registry registry, ServiceAccountKey key, Clock clock) {
        this.registry = registry;
        this.key = key;
        this.clock = clock;
    }

    /** {@code POST .../namespaces/{ns}/serviceaccounts/{name}/token}: 201 with the TokenRequest and its token. */
    void request(Exchange ex, ResourcePath p) throws IOException {
        JsonNode body = Bodies.object(ex.header("Content-Type"), ex.body());
        JsonNode spec = body.path("spec");
        long seconds = spec.path("expirationSeconds").isNumber() ? spec.path("expirationSeconds").asLong() : DEFAULT_SECONDS;
        List<FieldError> errors = new ArrayList<>();
        if (seconds < MIN_SECONDS) {
            errors.add(FieldError.invalid("spec.expirationSeconds", Long.toString(seconds),
                    "may not specify a duration less than 10 minutes"));
        }
        if (seconds > MAX_SECONDS) {
            errors.add(FieldError.invalid("spec.expirationSeconds", Long.toString(seconds),
                    "may not specify a duration larger than 2^32 seconds"));
        }
        if (!errors.isEmpty()) {
            throw new ApiException.Invalid("authentication.k8s.io", "TokenRequest", "", errors);
        }
        HasMetadata account = registry.get(ResourceTypes.SERVICE_ACCOUNTS, p.namespace(), p.name());
        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(a -> audiences.add(a.asText()));
        if (audiences.isEmpty()) {
            audiences.add(ISSUER);
        }
        Instant now = clock.now();
        Instant expires = now.plusSeconds(seconds);
        String token = sign(p.namespace(), p.name(), account.getMetadata().getUid(), audiences, now, expires);

        ObjectNode answer = Json.object();
        answer.put("kind", "TokenRequest");
        answer.put("apiVersion", "authentication.k8s.io/v1");
        answer.putObject("metadata").put("name", p.name()).put("namespace", p.namespace()).putNull("creationTimestamp");
        ObjectNode outSpec = answer.putObject("spec");
        audiences.forEach(outSpec.putArray("audiences")::add);
        outSpec.put("expirationSeconds", seconds);
        outSpec.set("boundObjectRef", spec.path("boundObjectRef").isObject() ? spec.get("boundObjectRef") : null);
        ObjectNode status = answer.putObject("status");
        status.put("token", token);
        status.put("expirationTimestamp", Times.format(expires));
        ex.sendJson(201, answer);
    }

    /**
     * The signed token. The claims are written as JSON here rather than through a JWT claims set,
     * so {@code aud} is always an array, as upstream's tokens have it.
     */
    private String sign(String namespace, String name, String uid, List<String> audiences, Instant now, Instant expires) {
        ObjectNode claims = Json.object();
        audiences.forEach(claims.putArray("aud")::add);
        claims.put("exp", expires.getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("iss", ISSUER);
        claims.put("jti", UUID.randomUUID().toString());
        ObjectNode k8s = claims.putObject("kubernetes.io");
        k8s.put("namespace", namespace);
        k8s.putObject("serviceaccount").put("name", name).put("uid", uid == null ? "" : uid);
        claims.put("nbf", now.getEpochSecond());
        claims.put("sub", PREFIX + namespace + ":" + name);
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.keyId()).build(),
                new Payload(Json.bytes(claims)));
        try {
            jws.sign(new RSASSASigner(key.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a service-account token: " + e.getMessage(), e);
        }
        return jws.serialize();
    }

    /**
     * The service account a token this server issued names, if its signature, issuer and times hold
     * now and its audiences include the API server's (a token asked for another audience is not one).
     */
    Optional<Auth.User> authenticate(String token) {
        JsonNode claims;
        try {
            JWSObject jws = JWSObject.parse(token);
            if (!JWSAlgorithm.RS256.equals(jws.getHeader().getAlgorithm()) || !jws.verify(new RSASSAVerifier(key.publicKey()))) {
                return Optional.empty();
            }
            claims = Json.MAPPER.readTree(jws.getPayload().toBytes());
        } catch (ParseException | JOSEException | IOException e) {
            return Optional.empty();
        }
        long now = clock.now().getEpochSecond();
        boolean forThisServer = false;
        for (JsonNode audience : claims.path("aud")) {
            forThisServer |= ISSUER.equals(audience.asText());
        }
        if (!claims.isObject() || !ISSUER.equals(claims.path("iss").asText()) || !forThisServer || !claims.path("exp").isNumber()
                || now >= claims.path("exp").asLong() || (claims.path("nbf").isNumber() && now < claims.path("nbf").asLong())) {
            return Optional.empty();
        }
        String subject = claims.path("sub").asText("");
        String[] parts = subject.startsWith(PREFIX) ? subject.substring(PREFIX.length()).split(":") : new String[0];
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()
                || !accountHolds(parts[0], parts[1], claims.path("kubernetes.io").path("serviceaccount").path("uid").asText(""))) {
            return Optional.empty();
        }
        return Optional.of(new Auth.User(subject,
                List.of("system:serviceaccounts", "system:serviceaccounts:" + parts[0], "system:authenticated")));
    }

    /** Whether the account the token was issued for still exists, with the uid the token names. */
    private boolean accountHolds(String namespace, String name, String uid) {
        try {
            HasMetadata account = registry.get(ResourceTypes.SERVICE_ACCOUNTS, namespace, name);
            return !uid.isEmpty() && uid.equals(account.getMetadata().getUid());
        } catch (ApiException.NotFound e) {
            return false;
        }
    }
}
