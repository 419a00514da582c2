package io.podvisor.runtime.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registry front on {@code 127.0.0.1} that demands bearer tokens, as Docker Hub does, and is its own
 * token server: {@code GET /token?service=…&scope=…} issues a token (anonymously, or for HTTP Basic
 * credentials that must match), {@code POST /token} with {@code grant_type=refresh_token} issues one for
 * the right refresh token. Only tokens issued for credentials open the registry; an anonymous token gets
 * {@code 401} with {@code error="insufficient_scope"}. Authorized requests go to a {@link LocalRegistry};
 * with {@link #redirectBlobs} blob requests are answered by a {@code 307} to the registry itself (another
 * origin, as a CDN would be).
 */
public final class TokenAuthProxy implements AutoCloseable {

    /** The service name the challenge and tokens carry. */
    public static final String SERVICE = "podvisor-test-registry";

    private final LocalRegistry upstream;
    private final String username;
    private final String password;
    private final String refreshToken;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Set<String> granted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger issued = new AtomicInteger();
    private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<String> authorizationsSeen = new CopyOnWriteArrayList<>();
    private volatile boolean redirectBlobs;

    private TokenAuthProxy(LocalRegistry upstream, String username, String password, String refreshToken)
            throws IOException {
        this.upstream = upstream;
        this.username = username;
        this.password = password;
        this.refreshToken = refreshToken;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/token", this::token);
        server.createContext("/v2/", this::registry);
        server.start();
    }

    /** Starts a front to {@code upstream} that accepts {@code username}/{@code password} and {@code refreshToken}. */
    public static TokenAuthProxy start(LocalRegistry upstream, String username, String password, String refreshToken)
            throws IOException {
        return new TokenAuthProxy(upstream, username, password, refreshToken);
    }

    /** {@code 127.0.0.1:<port>}: the domain of references through this front. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers blob requests with a redirect to the registry behind. */
    public TokenAuthProxy redirectBlobs(boolean redirect) {
        redirectBlobs = redirect;
        return this;
    }

    /** The token requests so far: {@code GET anonymous scope=…}, {@code GET basic:<user> scope=…}, {@code POST refresh_token scope=…}. */
    public List<String> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    /** The {@code Authorization} headers the registry side received, one per request ({@code -} for none). */
    public List<String> authorizationsSeen() {
        return List.copyOf(authorizationsSeen);
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            boolean ok;
            String who;
            Map<String, String> params;
            if (exchange.getRequestMethod().equals("POST")) {
                params = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                who = "POST " + params.get("grant_type");
                ok = "refresh_token".equals(params.get("grant_type")) && refreshToken.equals(params.get("refresh_token"));
            } else {
                params = form(exchange.getRequestURI().getRawQuery());
                String basic = exchange.getRequestHeaders().getFirst("Authorization");
                String expected = "Basic " + Base64.getEncoder()
                        .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
                who = basic == null ? "GET anonymous" : "GET basic:" + user(basic);
                if (basic != null && !basic.equals(expected)) {
                    tokenRequests.add(who + " scope=" + params.get("scope") + " rejected");
                    exchange.sendResponseHeaders(401, -1);
                    return;
                }
                ok = basic != null;
            }
            tokenRequests.add(who + " scope=" + params.get("scope") + (SERVICE.equals(params.get("service")) ? "" : " no-service"));
            if (exchange.getRequestMethod().equals("POST") && !ok) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            String token = "token-" + issued.incrementAndGet();
            if (ok) {
                granted.add(token);
            }
            String field = exchange.getRequestMethod().equals("POST") ? "access_token" : "token";
            byte[] body = ("{\"" + field + "\":\"" + token + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void registry(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizationsSeen.add(authorization == null ? "-" : authorization);
            String path = exchange.getRequestURI().getRawPath();
            String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
            if (token == null || !granted.contains(token)) {
                challenge(exchange, path, token != null);
                return;
            }
            URI target = URI.create("http://" + upstream.host() + path);
            if (redirectBlobs && path.contains("/blobs/")) {
                exchange.getResponseHeaders().set("Location", target.toString());
                exchange.sendResponseHeaders(307, -1);
                return;
            }
            forward(exchange, target);
        }
    }

    private void challenge(HttpExchange exchange, String path, boolean insufficient) throws IOException {
        String repository = path.replaceFirst("^/v2/", "").replaceFirst("/(manifests|blobs)/.*$", "");
        String header = "Bearer realm=\"http://" + host() + "/token\",service=\"" + SERVICE + "\""
                + (repository.isEmpty() ? "" : ",scope=\"repository:" + repository + ":pull\"")
                + (insufficient ? ",error=\"insufficient_scope\"" : "");
        exchange.getResponseHeaders().set("WWW-Authenticate", header);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        byte[] body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(401, body.length);
        exchange.getResponseBody().write(body);
    }

    private void forward(HttpExchange exchange, URI target) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).GET();
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        for (String name : List.of("Content-Type", "Docker-Content-Digest", "Location")) {
            response.headers().firstValue(name).ifPresent(v -> exchange.getResponseHeaders().set(name, v));
        }
        java.util.OptionalLong length = response.headers().firstValueAsLong("Content-Length");
        exchange.sendResponseHeaders(response.statusCode(),
                length.isEmpty() ? 0 : length.getAsLong() == 0 ? -1 : length.getAsLong());
        try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
            in.transferTo(out);
        }
    }

    private static String user(String basic) {
        String pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8);
        return pair.substring(0, Math.max(0, pair.indexOf(':')));
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
        http.close();
    }
}
