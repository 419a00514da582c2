package io.podvisor.apiserver.http;

import io.podvisor.apiserver.tls.Credentials;
import java.util.Locale;
import java.util.Set;

/**
 * Bearer-token authentication. Every request needs {@code Authorization: Bearer <token>}; only
 * an anonymous GET of {@code /version}, {@code /healthz}, {@code /livez} or {@code /readyz} is let
 * through without one (upstream's public-info-viewer). A wrong token is refused everywhere.
 */
final class Auth {

    static final Set<String> PUBLIC_PATHS = Set.of("/version", "/version/", "/healthz", "/livez", "/readyz");

    private final Credentials credentials;

    Auth(Credentials credentials) {
        this.credentials = credentials;
    }

    /** Whether the request may proceed. */
    boolean allows(String method, String path, String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return (method.equals("GET") || method.equals("HEAD")) && PUBLIC_PATHS.contains(path);
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return false;
        }
        return credentials.matches(value.substring(7).trim());
    }
}
