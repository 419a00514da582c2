package io.podvisor.runtime.image.registry;

import io.podvisor.runtime.image.RegistryAuth;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One repository of one registry over the distribution API: GETs with authorization and redirects.
 * A {@code 401} is answered by its {@code WWW-Authenticate} challenge (a bearer token from the realm, or
 * HTTP Basic), trying each credential in order (none: anonymous); the first that is accepted is used for
 * every later request of this client. Redirects are followed by hand so that credentials never go to
 * another host (blob downloads are commonly redirected to a CDN). One pull's client; not thread-safe.
 */
final class RegistryClient {

    private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_REDIRECTS = 10;
    private static final String USER_AGENT = "podvisor";

    private final HttpClient http;
    private final TokenClient tokens;
    private final URI base;
    private final String repository;
    private final List<RegistryAuth> auths;
    private String authorization;

    /**
     * @param base       the registry's endpoint, e.g. {@code https://registry-1.docker.io}
     * @param repository the repository path, e.g. {@code library/busybox}
     * @param auths      credentials to try in order (empty: anonymous)
     */
    RegistryClient(HttpClient http, URI base, String repository, List<RegistryAuth> auths) {
        this.http = http;
        this.tokens = new TokenClient(http);
        this.base = base;
        this.repository = repository;
        this.auths = List.copyOf(auths);
    }

    /** The URL of a manifest or blob: {@code kind} is {@code manifests} or {@code blobs}. */
    URI url(String kind, String version) {
        return base.resolve("/v2/" + repository + "/" + kind + "/" + version);
    }

    /**
     * GETs {@code uri}, authorizing when challenged; the caller reads or closes the body.
     *
     * @throws RegistryException if the request fails or no credential is accepted
     */
    HttpResponse<InputStream> get(URI uri, String accept) throws RegistryException, InterruptedException {
        HttpResponse<InputStream> response = exchange(uri, accept, authorization);
        if (response.statusCode() != 401) {
            return response;
        }
        List<Challenge> challenges = challenges(response);
        return authorize(uri, accept, challenges);
    }

    private HttpResponse<InputStream> authorize(URI uri, String accept, List<Challenge> challenges)
            throws RegistryException, InterruptedException {
        List<RegistryAuth> candidates = new ArrayList<>(auths);
        if (candidates.isEmpty()) {
            candidates.add(null);
        }
        RegistryException failure = null;
        for (RegistryAuth auth : candidates) {
            String header;
            try {
                header = authorizationFor(challenges, auth);
            } catch (RegistryException e) {
                failure = e;
                continue;
            }
            HttpResponse<InputStream> response = exchange(uri, accept, header);
            if (response.statusCode() != 401) {
                authorization = header;
                return response;
            }
            challenges = challenges(response);
            failure = denied(challenges);
        }
        throw failure;
    }

    /** The {@code Authorization} value answering {@code challenges} with {@code auth} (null: anonymous). */
    private String authorizationFor(List<Challenge> challenges, RegistryAuth auth)
            throws RegistryException, InterruptedException {
        Challenge bearer = Challenge.find(challenges, "bearer");
        if (bearer != null) {
            return "Bearer " + tokens.token(bearer, "repository:" + repository + ":pull", auth);
        }
        if (Challenge.find(challenges, "basic") != null) {
            if (auth == null || auth.username().isEmpty()) {
                throw denied(challenges);
            }
            return TokenClient.basic(auth);
        }
        throw new RegistryException("failed to find supported auth scheme: not implemented");
    }

    private static RegistryException denied(List<Challenge> challenges) {
        Challenge bearer = Challenge.find(challenges, "bearer");
        String error = bearer == null ? "" : bearer.parameter("error");
        return new RegistryException("pull access denied, repository does not exist or may require authorization: "
                + (error.isEmpty() ? "" : "server message: " + error + ": ") + "authorization failed");
    }

    private static List<Challenge> challenges(HttpResponse<InputStream> response) {
        discard(response);
        return Challenge.parse(response.headers().allValues("WWW-Authenticate"));
    }

    /** One GET, following redirects; {@code authorization} goes only to the registry's own origin. */
    private HttpResponse<InputStream> exchange(URI uri, String accept, String authorization)
            throws RegistryException, InterruptedException {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(current).GET().timeout(HEADERS_TIMEOUT)
                    .header("User-Agent", USER_AGENT);
            if (accept != null) {
                builder.header("Accept", accept);
            }
            if (authorization != null && sameOrigin(current, base)) {
                builder.header("Authorization", authorization);
            }
            HttpRequest request = builder.build();
            HttpResponse<InputStream> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new RegistryException("failed to do request: " + describe(request, e), e);
            }
            String location = response.headers().firstValue("Location").orElse(null);
            if (!isRedirect(response.statusCode()) || location == null) {
                return response;
            }
            discard(response);
            if (hop >= MAX_REDIRECTS) {
                throw new RegistryException("failed to do request: " + describe(request,
                        new IOException("stopped after " + MAX_REDIRECTS + " redirects")));
            }
            try {
                current = current.resolve(location);
            } catch (IllegalArgumentException e) {
                throw new RegistryException("failed to do request: " + describe(request,
                        new IOException("invalid redirect location \"" + location + "\"")), e);
            }
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** Closes a response body that is not needed. */
    static void discard(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // nothing to keep from an unwanted body
        }
    }

    /** A failed request as Go words it: {@code Get "http://…": dial tcp 127.0.0.1:5000: connect: connection refused}. */
    static String describe(HttpRequest request, IOException e) {
        String method = request.method().charAt(0) + request.method().substring(1).toLowerCase(Locale.ROOT);
        return method + " \"" + request.uri() + "\": " + reason(request.uri(), e);
    }

    private static String reason(URI uri, IOException e) {
        String address = uri.getHost() + ":" + port(uri);
        if (e instanceof HttpConnectTimeoutException) {
            return "dial tcp " + address + ": i/o timeout";
        }
        if (e instanceof HttpTimeoutException) {
            return "net/http: timeout awaiting response headers";
        }
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "dial tcp: lookup " + uri.getHost() + ": no such host";
            }
            message = message == null ? t.getMessage() : message;
        }
        if (e instanceof ConnectException) {
            String why = message == null ? "connection refused" : message.toLowerCase(Locale.ROOT);
            return "dial tcp " + address + ": connect: " + why;
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
