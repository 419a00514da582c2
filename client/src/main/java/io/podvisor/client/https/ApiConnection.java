package io.podvisor.client.https;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Status;
import io.podvisor.api.errors.ApiException;
import io.podvisor.core.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One API server over HTTPS: requests with the kubeconfig's credentials, answers checked, failures
 * turned into {@link ApiException}s from the server's {@code Status}, transient failures retried.
 *
 * <p>Retries (at most {@link Options#attempts()} tries, back-off doubling from
 * {@link Options#initialBackoff()} to {@link Options#maxBackoff()}, or the server's
 * {@code Retry-After} when it sends one): a request that never reached the server (connection
 * refused or timed out) and a 429 are retried whatever the verb; the other connection failures and
 * 5xx answers only for idempotent requests (GET, PUT, DELETE), since a POST may have been applied.
 * Waits run on the injected {@link Clock}.
 *
 * <p>The token is sent only in the {@code Authorization} header and never appears in an exception
 * or log line.
 */
final class ApiConnection implements AutoCloseable {

    /** How requests are made and retried. */
    record Options(Duration connectTimeout, Duration requestTimeout, int attempts, Duration initialBackoff,
            Duration maxBackoff) {
        static final Options DEFAULT = new Options(Duration.ofSeconds(10), Duration.ofSeconds(60), 5,
                Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    /** An answer: HTTP code and body. */
    record Answer(int code, byte[] body) {}

    static final ObjectMapper JSON = io.podvisor.api.Yaml.newJsonMapper();

    private final Kubeconfig config;
    private final Clock clock;
    private final Options options;
    private final HttpClient http;
    private final String base;

    ApiConnection(Kubeconfig config, Clock clock, Options options) throws IOException {
        this.config = config;
        this.clock = clock;
        this.options = options;
        this.http = HttpClient.newBuilder().sslContext(TlsContexts.of(config)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout()).build();
        String s = config.server().toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    Clock clock() {
        return clock;
    }

    Options options() {
        return options;
    }

    /**
     * Sends a request and returns a 2xx answer.
     *
     * @param body JSON, or null for none
     * @throws ApiException the server's refusal, or {@link ApiException.Other} (503) when it could
     *     not be reached after the retries
     */
    Answer send(String method, String pathAndQuery, byte[] body) {
        boolean idempotent = !method.equals("POST");
        for (int attempt = 1;; attempt++) {
            Duration wait;
            try {
                HttpResponse<byte[]> r = http.send(request(method, pathAndQuery, body, options.requestTimeout()),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() / 100 == 2) {
                    return new Answer(r.statusCode(), r.body());
                }
                ApiException e = failure(r.statusCode(), r.body());
                boolean retryable = r.statusCode() == 429 || (idempotent && r.statusCode() >= 500 && r.statusCode() != 501);
                if (!retryable || attempt >= options.attempts()) {
                    throw e;
                }
                wait = retryAfter(r).orElse(backoff(attempt));
            } catch (IOException e) {
                boolean notSent = e instanceof ConnectException || e instanceof HttpConnectTimeoutException;
                if (!(notSent || idempotent) || attempt >= options.attempts()) {
                    throw unreachable(method, pathAndQuery, e);
                }
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unreachable(method, pathAndQuery, new InterruptedIOException("interrupted"));
            }
            pause(wait);
        }
    }

    /** Opens a streaming GET (a watch); the caller reads and closes the body. No retries here. */
    HttpResponse<InputStream> open(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(request("GET", pathAndQuery, null, null), HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpRequest request(String method, String pathAndQuery, byte[] body, Duration timeout) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).header("Accept", "application/json")
                .header("User-Agent", "podvisor-client");
        if (timeout != null) {
            b.timeout(timeout);
        }
        String token = config.bearerToken();
        if (token != null && !token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    /** The exception a non-2xx answer stands for: its Status when the body is one. */
    static ApiException failure(int code, byte[] body) {
        Status status = null;
        try {
            if (body != null && body.length > 0) {
                status = JSON.readValue(body, Status.class);
            }
        } catch (IOException notJson) {
            // not a Status: described by its code below
        }
        if (status == null || (status.getMessage() == null && status.getReason() == null)) {
            status = new Status();
            status.setMessage("the server responded with the status code " + code + " but did not return more information");
        }
        return ApiException.fromStatus(status, code);
    }

    /** Back-off before try {@code attempt + 1}. */
    Duration backoff(int attempt) {
        long ms = options.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(ms, options.maxBackoff().toMillis()));
    }

    private java.util.Optional<Duration> retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                long s = Long.parseLong(v.trim());
                return java.util.Optional.of(Duration.ofSeconds(Math.max(0, Math.min(s, options.maxBackoff().toSeconds()))));
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
        });
    }

    /** Waits {@code d} on the clock. */
    void pause(Duration d) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        clock.schedule(d, () -> done.complete(null));
        done.join();
    }

    /** A server that could not be reached: 503 with the failure (never the request's headers). */
    ApiException unreachable(String method, String pathAndQuery, IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ApiException.Other(503, "ServiceUnavailable",
                method + " " + base + pathAndQuery + ": " + why);
    }

    @Override
    public void close() {
        http.close();
    }
}
