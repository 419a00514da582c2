package io.podvisor.runtime.net;

import io.podvisor.runtime.PodNetwork.HttpResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;

/**
 * The HTTP GET of an HTTP probe, on Jetty's client ({@link ProbeClient}): HTTP/1.1 with {@code
 * Connection: close} and exactly the given headers (a {@code Host} header included), HTTPS without
 * certificate checks, at most {@value #MAX_BODY} bytes of body read (the rest is dropped), one
 * time-out for the whole exchange. Redirects are followed as the kubelet's prober does: 301, 302,
 * 303, 307 and 308 with a {@code Location}, only to the same host name, at most {@value
 * #MAX_REQUESTS} requests in all; a redirect to another host is the answer itself (a 3xx, which the
 * kubelet counts as success). Failures read as Go's client words them ({@link ProbeFailures}).
 */
final class ProbeHttp {

    static final int MAX_BODY = 10 * 1024;
    static final int MAX_REQUESTS = 10;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Jetty's own total time-out ends the exchange; this is only a backstop for the waiting thread. */
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final HttpClient client = ProbeClient.get();

    /** A request target: where to connect and what to ask for. */
    record Target(String scheme, String host, int port, String path) {
        String url() {
            return scheme + "://" + DialErrors.hostPort(host, port) + path;
        }

        URI uri() {
            try {
                return URI.create(url());
            } catch (IllegalArgumentException e) {
                try {
                    return new URI(scheme, null, host, port, path, null, null);
                } catch (URISyntaxException again) {
                    throw new IllegalArgumentException(again);
                }
            }
        }
    }

    /** An answer, and where to go next when it is a redirect to follow. */
    private record Answer(int status, String location, String body, Target next) {}

    HttpResult get(String scheme, String host, int port, String path, Map<String, String> headers, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Target t = new Target(scheme.toLowerCase(Locale.ROOT), host, port, path.startsWith("/") ? path : "/" + path);
        String givenHost = null;
        for (var h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("Host")) {
                givenHost = h.getValue();
            }
        }
        String hostHeader = givenHost;
        for (int requests = 1; ; requests++) {
            Answer a;
            try {
                a = exchange(t, headers, hostHeader != null ? hostHeader : DialErrors.hostPort(t.host(), t.port()), deadline);
            } catch (ProbeFailures.Failure f) {
                return new HttpResult(0, "", f.standalone() ? f.getMessage() : "Get \"" + t.url() + "\": " + f.getMessage());
            }
            if (a.next() == null) {
                return new HttpResult(a.status(), a.body(), null);
            }
            String location = a.location().strip();
            if (requests >= MAX_REQUESTS) {
                // Go names the Location as given in the error of a refused redirect
                return new HttpResult(0, "", "Get \"" + location + "\": stopped after " + MAX_REQUESTS + " redirects");
            }
            // as Go's client: the given Host is sent again after a relative Location, the URL's host after an absolute one
            hostHeader = URI.create(location).isAbsolute() ? null : givenHost;
            t = a.next();
        }
    }

    /** Where a redirect points, or null when it is not one to follow. */
    static Target redirect(Target from, String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        try {
            URI u = new URI(from.url()).resolve(location.strip());
            String scheme = u.getScheme() == null ? from.scheme() : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
                return null;
            }
            int port = u.getPort() > 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
            String host = u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost();
            String path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
            return new Target(scheme, host, port, path);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private Answer exchange(Target t, Map<String, String> headers, String hostHeader, long deadline)
            throws ProbeFailures.Failure {
        ProbeClient.Attempt attempt = new ProbeClient.Attempt();
        ProbeFailures failures = new ProbeFailures(t.host(), t.port(), attempt);
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw failures.timeout();
        }
        Request request;
        try {
            request = newRequest(t, headers, hostHeader).tag(attempt).timeout(left, TimeUnit.NANOSECONDS);
        } catch (IllegalArgumentException e) {
            throw new ProbeFailures.Failure(String.valueOf(e.getMessage()), false);
        }
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        Response response;
        try {
            response = listener.get(left + GRACE_NANOS, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            request.abort(e);
            throw failures.timeout();
        } catch (ExecutionException e) {
            throw failures.beforeAnswer(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            request.abort(e);
            Thread.currentThread().interrupt();
            throw new ProbeFailures.Failure("context canceled", false);
        }
        String location = response.getHeaders().get(HttpHeader.LOCATION);
        Target next = REDIRECTS.contains(response.getStatus()) ? redirect(t, location) : null;
        if (next != null && !next.host().equalsIgnoreCase(t.host())) {
            next = null;
        }
        try (InputStream in = listener.getInputStream()) {
            String body = next != null ? "" : new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
            return new Answer(response.getStatus(), location, body, next);
        } catch (IOException e) {
            throw failures.inBody(e);
        }
    }

    /** A GET of the target with exactly the given headers, the Host header as chosen and {@code Connection: close}. */
    private Request newRequest(Target t, Map<String, String> headers, String hostHeader) {
        return client.newRequest(t.uri())
                .method(HttpMethod.GET)
                .version(HttpVersion.HTTP_1_1)
                .headers(h -> {
                    h.put(HttpHeader.HOST, hostHeader);
                    for (var e : headers.entrySet()) {
                        if (!e.getKey().equalsIgnoreCase("Host") && !e.getKey().equalsIgnoreCase("Connection")) {
                            h.add(e.getKey(), e.getValue() == null ? "" : e.getValue());
                        }
                    }
                    h.put(HttpHeader.CONNECTION, "close");
                });
    }
}
