package io.podvisor.bench;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * API throughput and watch latency of a node in this JVM (fake runtime, SQLite store in a temp
 * directory, the HTTPS API on a free loopback port):
 *
 * <ul>
 *   <li>pod creates per second through {@code POST /api/v1/namespaces/default/pods} from
 *       {@value #SENDERS} concurrent senders, after an unmeasured warm-up, of pods no scheduler
 *       takes (the API and the store alone), then of {@value #RUNNING} pods the node schedules and
 *       runs while the rest are created; baseline: raw SQLite inserts of the created pod's bytes
 *       with the store's settings ({@link SqliteBaseline});</li>
 *   <li>watch event latency ({@link WatchLatency}) p50 and p99 over all (watcher, pod) pairs;
 *       baseline: the same creates seen by an in-process watch on the node's registries;</li>
 *   <li>watch fan-out ({@link WatchFanOut}): the cost per event of {@code W} in-process subscribers,
 *       each with a watch of its own or each a handler on one shared informer; baseline: the same
 *       updates with nobody watching.</li>
 * </ul>
 *
 * <p>{@code bench/run api [--pods N] [--watchers W] [--events M] [--fan-out-events F]} (defaults
 * 2000, 100, 200, 2000).
 */
final class ApiThroughput {

    static final int SENDERS = 8;
    /** Scheduled pods: fewer than a node's 110, so every one is bound and started. */
    static final int RUNNING = 100;

    private ApiThroughput() {}

    /** Creates per second through the API, the latency of each POST, and one created pod's bytes. */
    private record Creates(double perSecond, Stats latency, byte[] sample) {}

    static int run(String[] args) throws Exception {
        int pods = Args.integer(args, "--pods", 2000);
        int watchers = Args.integer(args, "--watchers", 100);
        int events = Args.integer(args, "--events", 200);
        int fanOutEvents = Args.integer(args, "--fan-out-events", 2000);
        int warmup = Math.max(50, pods / 10);
        try (LocalNode node = LocalNode.start("bench-api-")) {
            Creates creates;
            Creates running;
            WatchLatency.Result latency;
            double settle;
            try (NodeApi api = node.api()) {
                creates(api, "warm-", warmup, false);
                creates = creates(api, "tp-", pods, false);
                running = creates(api, "run-", RUNNING, true);
                settle = settle(api);
                latency = WatchLatency.measure(api, node.server().registries(), watchers, events);
            }
            node.stopServer();
            double raw = SqliteBaseline.insertsPerSecond(node.tmp.resolve("raw.db"), creates.sample(), warmup, pods, SENDERS);
            WatchFanOut.Result fanOut = WatchFanOut.measure(watchers, fanOutEvents);
            report(pods, watchers, events, warmup, creates, running, raw, latency, settle, fanOut).print(System.out);
            return 0;
        }
    }

    private static Report report(int pods, int watchers, int events, int warmup, Creates creates, Creates running,
                                 double raw, WatchLatency.Result lat, double settle, WatchFanOut.Result fan) {
        int pairs = watchers * events;
        return new Report(String.format(Locale.ROOT, "api: %d pod creates from %d senders; %d watchers x %d creates",
                pods, SENDERS, watchers, events))
                .rate("pod creates through HTTPS (baseline: raw SQLite inserts)", creates.perSecond(), raw, "/s", "report", null)
                .rate("  the same, " + RUNNING + " pods the node schedules and runs", running.perSecond(), raw, "/s", "report", null)
                .row("watch ADDED latency p50 (baseline: in-process watch)", lat.http().median(), lat.inProcess().median(),
                        "ms", "report", null)
                .row("watch ADDED latency p99 (baseline: in-process watch)", lat.http().percentile(99),
                        lat.inProcess().percentile(99), "ms", "report", null)
                .note(String.format(Locale.ROOT, "creates: after %d unmeasured; POST latency p50 %s ms, p99 %s ms; stored bytes %d",
                        warmup, Stats.fmt(creates.latency().median()), Stats.fmt(creates.latency().percentile(99)),
                        creates.sample().length))
                .note(String.format(Locale.ROOT, "creates: pods of scheduler \"%s\" stay unbound (API and store only); "
                        + "the %d scheduled ones are bound and run (fake runtime) while later ones are created; "
                        + "their POST latency p50 %s ms, p99 %s ms", NodeApi.UNSCHEDULED, RUNNING,
                        Stats.fmt(running.latency().median()), Stats.fmt(running.latency().percentile(99))))
                .note("baseline creates: one INSERT of those bytes per transaction, WAL, synchronous=NORMAL, one writer "
                        + "connection under a lock, " + SENDERS + " senders")
                .note(String.format(Locale.ROOT, "watch: %d (watcher, pod) pairs after %d unmeasured creates; missed %d "
                        + "(in-process missed %d); HTTPS max %s ms, in-process max %s ms; node settled %s s before",
                        pairs, lat.warmup(), lat.missedHttp(), lat.missedInProcess(), Stats.fmt(lat.http().max()),
                        Stats.fmt(lat.inProcess().max()), Stats.fmt(settle)))
                .row(fan.subscribers() + " in-process subscribers, a watch each: wall per event (baseline: update alone)",
                        fan.watches().wallMicros(), fan.alone().wallMicros(), "us", "report", null)
                .row("  the same, CPU per event (baseline: update alone)", fan.watches().cpuMicros(), fan.alone().cpuMicros(),
                        "us", "report", null)
                .row(fan.subscribers() + " handlers on one shared informer: wall per event (baseline: update alone)",
                        fan.informer().wallMicros(), fan.alone().wallMicros(), "us", "report", null)
                .row("  the same, CPU per event (baseline: update alone)", fan.informer().cpuMicros(), fan.alone().cpuMicros(),
                        "us", "report", null)
                .note(String.format(Locale.ROOT, "fan-out: %d updates of one ConfigMap on registries over a memory store in "
                        + "this JVM, after a warm-up round; figures are the cost added to each update until every "
                        + "subscriber saw the last", fan.events()))
                .note("node: in this JVM, fake runtime, kubelet and controllers running; HTTP/1.1 over TLS on 127.0.0.1");
    }

    /** Creates {@code count} pods named {@code prefix + i} from {@link #SENDERS} virtual threads (see {@link NodeApi#podJson}). */
    private static Creates creates(NodeApi api, String prefix, int count, boolean scheduled) throws Exception {
        Stats latency = new Stats();
        AtomicReference<byte[]> sample = new AtomicReference<>();
        double seconds = Senders.run(count, SENDERS, i -> {
            long s = System.nanoTime();
            byte[] created = api.createPod(prefix + String.format(Locale.ROOT, "%05d", i), scheduled);
            latency.add((System.nanoTime() - s) / 1e6);
            sample.compareAndSet(null, created);
        });
        return new Creates(count / seconds, latency, sample.get());
    }

    /**
     * Waits (at most a minute) until the node is done with the created pods (scheduling, starting,
     * status updates): the pods' resourceVersion stays the same for a second. Returns the seconds waited.
     */
    private static double settle(NodeApi api) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.MINUTES.toNanos(1);
        String last = api.podsResourceVersion();
        while (System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            String now = api.podsResourceVersion();
            if (now.equals(last)) {
                break;
            }
            last = now;
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
