package io.podvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.apiserver.registry.Registries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Watch event latency: {@code watchers} HTTPS watch streams of the pods in {@code default} and one
 * in-process watch on the node's registries (the baseline, no HTTP) observe the same pods being
 * created one at a time; for every (observer, pod) pair, the time from just before the POST is
 * sent to the moment the observer reads the pod's {@code ADDED} event. The pods are left unscheduled
 * (see {@link NodeApi#podJson}), so the streams carry nothing but these creates.
 */
final class WatchLatency {

    /** At most this many creates per second, and each only after every observer saw the previous one. */
    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final String PREFIX = "lat-";

    /** Latencies in milliseconds over all (watcher, pod) pairs, and the pairs never observed. */
    record Result(Stats http, Stats inProcess, int missedHttp, int missedInProcess, int warmup) {}

    private final NodeApi api;
    private final int watchers;
    private final int warmup;
    private final int total;
    private final long[] sent;
    /** Row w &lt; watchers: HTTP watcher w; row watchers: the in-process watch. 0 = not seen. */
    private final long[][] seen;
    private final CountDownLatch[] observed;
    private final List<InputStream> streams = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    private WatchLatency(NodeApi api, int watchers, int events) {
        this.api = api;
        this.watchers = watchers;
        this.warmup = Math.max(5, events / 10);
        this.total = warmup + events;
        this.sent = new long[total];
        this.seen = new long[watchers + 1][total];
        this.observed = new CountDownLatch[total];
        for (int i = 0; i < total; i++) {
            observed[i] = new CountDownLatch(watchers + 1);
        }
    }

    /** Creates {@code events} measured pods (after a few unmeasured ones) under {@code watchers} HTTPS watches. */
    static Result measure(NodeApi api, Registries registries, int watchers, int events) throws Exception {
        return new WatchLatency(api, watchers, events).run(registries);
    }

    private Result run(Registries registries) throws Exception {
        String rv = api.podsResourceVersion();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < watchers; w++) {
            int row = w;
            threads.add(Thread.ofVirtual().name("watch-" + w).start(() -> httpWatch(row, rv)));
        }
        ObjectClient.Subscription local = registries.watch(Pod.class, "default",
                (type, pod) -> record(watchers, type, pod.getMetadata().getName(), System.nanoTime()));
        try {
            for (int i = 0; i < total; i++) {
                createOne(i);
            }
        } finally {
            stopping = true;
            local.close();
            for (InputStream in : streams) {
                closeQuietly(in);
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(5));
            }
        }
        if (!failures.isEmpty()) {
            throw new IOException("a watch failed", failures.getFirst());
        }
        return result();
    }

    private void createOne(int i) throws Exception {
        long t0 = System.nanoTime();
        sent[i] = t0;
        api.createPod(name(i), false);
        // The first create also waits for every stream to be established.
        observed[i].await(i == 0 ? 60 : 10, TimeUnit.SECONDS);
        for (long left = t0 + PERIOD_NANOS - System.nanoTime(); left > 0; left = t0 + PERIOD_NANOS - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private void httpWatch(int row, String rv) {
        try (InputStream in = api.watchPods(rv)) {
            streams.add(in);
            if (stopping) {
                return;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                long now = System.nanoTime();
                if (line.contains("\"ADDED\"")) {
                    JsonNode event = NodeApi.JSON.readTree(line);
                    record(row, event.path("type").asText(), event.path("object").path("metadata").path("name").asText(), now);
                }
            }
        } catch (IOException | InterruptedException e) {
            if (!stopping) {
                failures.add(e);
            }
        }
    }

    private void record(int row, String type, String name, long now) {
        if (!type.equals("ADDED") || !name.startsWith(PREFIX)) {
            return;
        }
        int i = Integer.parseInt(name.substring(PREFIX.length()));
        if (i < total && seen[row][i] == 0) {
            seen[row][i] = now;
            observed[i].countDown();
        }
    }

    private Result result() {
        Stats http = new Stats();
        Stats local = new Stats();
        int missedHttp = 0;
        int missedLocal = 0;
        for (int i = warmup; i < total; i++) {
            for (int row = 0; row <= watchers; row++) {
                boolean isHttp = row < watchers;
                if (seen[row][i] == 0) {
                    if (isHttp) {
                        missedHttp++;
                    } else {
                        missedLocal++;
                    }
                    continue;
                }
                (isHttp ? http : local).add((seen[row][i] - sent[i]) / 1e6);
            }
        }
        return new Result(http, local, missedHttp, missedLocal, warmup);
    }

    private static String name(int i) {
        return PREFIX + String.format(Locale.ROOT, "%05d", i);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the stream ends either way
        }
    }
}
