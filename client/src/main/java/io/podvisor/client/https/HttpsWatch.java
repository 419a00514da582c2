package io.podvisor.client.https;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.podvisor.api.client.ObjectClient.Subscription;
import io.podvisor.api.client.ObjectClient.WatchHandler;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * One {@code watch=true} stream from a resourceVersion, read line by line on a virtual thread of
 * its own, each event decoded once into the model type and handed to the handler in order.
 *
 * <ul>
 *   <li>Bookmarks ({@code allowWatchBookmarks=true}) move the revision the watch resumes from and
 *       are passed on as {@code BOOKMARK} events, as the in-process watch passes them.
 *   <li>A stream that ends (the server's {@code timeoutSeconds}, a dropped connection) or cannot
 *       be opened (connection failure, 429, 5xx) is opened again from the last revision seen, with
 *       back-off on the clock; the handler notices nothing.
 *   <li>An {@code ERROR} event or a refused request ends the watch: {@code onClosed} with the
 *       {@link ApiException} of its Status ({@link ApiException.Gone} for a revision that left the
 *       history). The first request's refusal is thrown by {@link #start} instead. So does an event
 *       that cannot be decoded ({@link ApiException.Internal}): resuming would meet it again.
 *   <li>A handler that throws is logged; the events after it are still delivered.
 *   <li>{@link Subscription#close()} stops it: the stream is closed, nothing more is delivered.
 * </ul>
 */
final class HttpsWatch<T extends HasMetadata> implements Subscription {

    /** The {@code timeoutSeconds} each stream asks for; the watch then continues on a new stream. */
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    private static final System.Logger LOG = System.getLogger(HttpsWatch.class.getName());

    private final ApiConnection api;
    private final ResourceType rt;
    private final Class<T> type;
    private final Function<String, String> pathFrom;
    private final WatchHandler<T> handler;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile InputStream current;
    private String resourceVersion;
    private int delivered;

    private HttpsWatch(ApiConnection api, ResourceType rt, Class<T> type, Function<String, String> pathFrom,
            String resourceVersion, WatchHandler<T> handler) {
        this.api = api;
        this.rt = rt;
        this.type = type;
        this.pathFrom = pathFrom;
        this.resourceVersion = resourceVersion;
        this.handler = handler;
    }

    /**
     * Opens the first stream (its refusal is thrown here) and starts reading it.
     *
     * @param pathFrom the watch URL (path and query) from a resourceVersion
     */
    static <T extends HasMetadata> Subscription start(ApiConnection api, ResourceType rt, Class<T> type,
            Function<String, String> pathFrom, String resourceVersion, WatchHandler<T> handler) {
        HttpsWatch<T> w = new HttpsWatch<>(api, rt, type, pathFrom, resourceVersion, handler);
        InputStream first = w.openRetrying();
        Thread.ofVirtual().name("watch " + rt.qualifiedName()).start(() -> w.run(first));
        return w;
    }

    /** Opens a stream from the current revision, retrying what is transient; throws a refusal. */
    private InputStream openRetrying() {
        String path = pathFrom.apply(resourceVersion);
        for (int attempt = 1;; attempt++) {
            IOException failure;
            try {
                HttpResponse<InputStream> r = api.open(path);
                if (r.statusCode() == 200) {
                    return r.body();
                }
                byte[] body;
                try (InputStream in = r.body()) {
                    body = in.readAllBytes();
                }
                ApiException e = ApiConnection.failure(r.statusCode(), body);
                if (r.statusCode() != 429 && r.statusCode() < 500) {
                    throw e;
                }
                failure = new IOException(e.getMessage());
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw api.unreachable("GET", path, new java.io.InterruptedIOException("interrupted"));
            }
            if (closed) {
                return InputStream.nullInputStream();
            }
            if (attempt >= api.options().attempts()) {
                throw api.unreachable("GET", path, failure);
            }
            api.pause(api.backoff(attempt));
        }
    }

    private void run(InputStream first) {
        InputStream in = first;
        RuntimeException end = null;
        int emptyStreams = 0;
        try {
            while (!closed) {
                current = in;
                if (closed) {
                    break;
                }
                int before = delivered;
                end = read(in);
                if (end != null || closed) {
                    break;
                }
                // a stream that ends without an event again and again is reopened with back-off
                emptyStreams = delivered == before ? emptyStreams + 1 : 0;
                LOG.log(System.Logger.Level.DEBUG, () -> "watch of " + rt.qualifiedName() + " ended, resuming from " + resourceVersion);
                if (emptyStreams > 1) {
                    api.pause(api.backoff(emptyStreams - 1));
                }
                try {
                    in = openRetrying();
                } catch (RuntimeException e) {
                    end = e;
                    break;
                }
            }
        } finally {
            closeQuietly(current);
            stopped.countDown();
        }
        if (end != null && !closed) {
            closed = true;
            handler.onClosed(end);
        }
    }

    /**
     * Reads one stream to its end; returns the error that ends the watch (an ERROR event, or an
     * event this client cannot decode: reading on would only meet it again), or null to resume.
     */
    private RuntimeException read(InputStream in) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while (!closed && (line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                RuntimeException error;
                try {
                    error = event(line);
                } catch (com.fasterxml.jackson.core.JacksonException e) {
                    return new ApiException.Internal("cannot decode a watch event of " + rt.qualifiedName() + ": "
                            + e.getOriginalMessage());
                }
                if (error != null) {
                    return error;
                }
            }
            return null;
        } catch (IOException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.DEBUG, () -> "watch of " + rt.qualifiedName() + " lost: " + e);
            }
            return null;
        }
    }

    /** Decodes and delivers one event line; an ERROR event is returned instead. */
    private RuntimeException event(String line) throws IOException {
        String eventType = null;
        T object = null;
        JsonNode raw = null;
        try (JsonParser p = ApiConnection.JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "a watch event is not an object: " + abbreviate(line));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("type")) {
                    eventType = p.getValueAsString();
                } else if (field.equals("object") && eventType != null && !eventType.equals("ERROR")) {
                    object = ApiConnection.JSON.readValue(p, type); // the one decode of this object
                } else if (field.equals("object")) {
                    raw = ApiConnection.JSON.readTree(p);
                } else {
                    p.skipChildren();
                }
            }
        }
        if (eventType == null) {
            throw new com.fasterxml.jackson.core.JsonParseException(null, "a watch event without a type: " + abbreviate(line));
        }
        if (eventType.equals("ERROR")) {
            Status status = raw == null ? new Status() : ApiConnection.JSON.treeToValue(raw, Status.class);
            int code = status.getCode() == null ? 500 : status.getCode();
            return ApiException.fromStatus(status, code);
        }
        if (object == null && raw != null) {
            object = ApiConnection.JSON.treeToValue(raw, type);
        }
        if (object == null) {
            return null;
        }
        String rv = object.getMetadata() == null ? null : object.getMetadata().getResourceVersion();
        if (rv != null && !rv.isEmpty()) {
            resourceVersion = rv;
        }
        if (!closed) {
            delivered++;
            try {
                handler.onEvent(eventType, object);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "watch handler of " + rt.qualifiedName() + " failed", e);
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // closing a stream being torn down
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(current);
    }

    /** Waits until the reading thread ended (tests). */
    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public String toString() {
        return "watch of " + rt.qualifiedName() + " at " + resourceVersion;
    }
}
