package io.podvisor.apiserver.http;

import io.podvisor.apiserver.tls.Credentials;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer-token authentication. Every request needs {@code Authorization: Bearer <token>}; only
 * an anonymous GET of {@code /version}, {@code /healthz}, {@code /livez} or {@code /readyz} is let
 * through without one (upstream's public-info-viewer). A wrong token is refused everywhere.
 * The data dir's token is the user {@link #ADMIN}, a member of {@code system:masters}; a
 * service-account token this server issued is that account ({@link ServiceAccountTokens}). There
 * is no authorization beyond authentication (everything authenticated is allowed).
 */
final class Auth {

    static final Set<String> PUBLIC_PATHS = Set.of("/version", "/version/", "/healthz", "/livez", "/readyz");

    /** Who a request is: user name and groups, as upstream's {@code user.Info}. */
    record User(String name, List<String> groups) {}

    /** The holder of the data dir's token: a cluster administrator, as upstream's {@code system:masters}. */
    static final User ADMIN = new User("podvisor-admin", List.of("system:masters", "system:authenticated"));
    static final User ANONYMOUS = new User("system:anonymous", List.of("system:unauthenticated"));

    private final Credentials credentials;
    private final ServiceAccountTokens serviceAccounts;

    Auth(Credentials credentials, ServiceAccountTokens serviceAccounts) {
        this.credentials = credentials;
        this.serviceAccounts = serviceAccounts;
    }

    /** Who the request is, or empty when it may not proceed. */
    Optional<User> authenticate(String method, String path, String authorization) {
        if (authorization == null || authorization.isBlank()) {
            boolean open = (method.equals("GET") || method.equals("HEAD")) && PUBLIC_PATHS.contains(path);
            return open ? Optional.of(ANONYMOUS) : Optional.empty();
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return Optional.empty();
        }
        String token = value.substring(7).trim();
        return credentials.matches(token) ? Optional.of(ADMIN) : serviceAccounts.authenticate(token);
    }
}
