package io.podvisor.bench;

import static io.podvisor.runtime.fake.ContainerScript.script;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.printers.PodColumns;
import io.podvisor.kubelet.harness.NodeHarness;
import io.podvisor.runtime.ExecResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lifecycle scenarios {@link EngineSpeed} times: a whole node (kubelet, fake runtime, the API's
 * registries on an in-memory store behind shared informers) in virtual time through the kubelet's
 * {@link NodeHarness}. Each run builds a fresh node
 * outside the timed span, then times applying the pods and advancing the clock, and returns what
 * the node ended with so the caller can check that the simulation did the work it is credited with.
 */
final class EngineScenarios {

    /** The crash-looping container runs this long, then exits 1. */
    static final Duration CRASH_RUN = Duration.ofSeconds(1);
    /** Readiness and liveness probe period of the probed pods. */
    static final int PROBE_PERIOD_SECONDS = 10;

    /**
     * The timed span of one run: wall milliseconds, and the CPU milliseconds of the thread that ran
     * it (the node runs on the caller's thread in virtual time, so this is the engine's own work,
     * less sensitive to other load on the machine than wall time).
     */
    record Timing(double wallMs, double cpuMs) {}

    /** One crash-loop run: its timing, the container's restartCount and its BackOff events ({@code "count× message"}). */
    record CrashLoop(Timing timing, int restartCount, List<String> backOffEvents, String kubectl) {}

    /** One probed-pods run: its timing, probe execs the runtime answered, pods {@code 1/1 Running 0} at the end. */
    record Probed(Timing timing, long probeExecs, int healthyPods) {}

    private EngineScenarios() {}

    /** A node with nothing on it, advanced over {@code span}: the harness's and the idle node's own cost. */
    static Timing idle(Duration span) {
        NodeHarness h = new NodeHarness();
        Stopwatch sw = Stopwatch.start();
        h.advance(span);
        return sw.stop();
    }

    /** One pod whose container exits 1 a second after each start, for {@code span} (restartPolicy Always). */
    static CrashLoop crashLoop(Duration span) {
        NodeHarness h = new NodeHarness();
        h.script("app", script().exitAfter(CRASH_RUN, 1));
        Stopwatch sw = Stopwatch.start();
        h.apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: crash}
                spec:
                  containers:
                  - name: app
                    image: busybox:1.36
                    command: ["sh", "-c", "sleep 1; exit 1"]
                """);
        h.advance(span);
        Timing timing = sw.stop();
        ContainerStatus app = h.pod("crash").getStatus().getContainerStatuses().getFirst();
        return new CrashLoop(timing, app.getRestartCount(), h.events("crash", "BackOff"), h.kubectl("crash"));
    }

    /**
     * {@code pods} pods, each with an exec readiness and an exec liveness probe every
     * {@value #PROBE_PERIOD_SECONDS} s that always succeed, for {@code span}.
     */
    static Probed probedPods(int pods, Duration span) {
        AtomicLong execs = new AtomicLong();
        NodeHarness h = new NodeHarness();
        h.script("web", script()
                .exec(List.of("/ready"), since -> ok(execs))
                .exec(List.of("/alive"), since -> ok(execs)));
        Stopwatch sw = Stopwatch.start();
        for (int i = 0; i < pods; i++) {
            h.apply(probedPod("web-" + i));
        }
        h.advance(span);
        Timing timing = sw.stop();
        int healthy = 0;
        for (int i = 0; i < pods; i++) {
            Pod p = h.pod("web-" + i);
            if (p != null && (PodColumns.ready(p) + " " + PodColumns.status(p)).equals("1/1 Running")
                    && p.getStatus().getContainerStatuses().getFirst().getRestartCount() == 0) {
                healthy++;
            }
        }
        return new Probed(timing, execs.get(), healthy);
    }

    private static String probedPod(String name) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.27
                    readinessProbe:
                      exec: {command: ["/ready"]}
                      periodSeconds: %d
                    livenessProbe:
                      exec: {command: ["/alive"]}
                      periodSeconds: %d
                """.formatted(name, PROBE_PERIOD_SECONDS, PROBE_PERIOD_SECONDS);
    }

    private static ExecResult ok(AtomicLong execs) {
        execs.incrementAndGet();
        return ExecResult.exited(0, "");
    }

    /**
     * The restartCount the CrashLoopBackOff curve gives after {@code span} for a container that runs
     * {@code run} and exits: the first restart at once, then gaps of 10, 20, 40, 80, 160 s capped at
     * 300 s, each counted from the exit (the back-off entry never goes stale: it is renewed every ≤ 300 s).
     */
    static int expectedRestarts(Duration span, Duration run) {
        long end = span.toSeconds();
        long start = 0;
        long gap = 0;
        int restarts = 0;
        while (true) {
            long next = start + run.toSeconds() + gap;
            if (next > end) {
                return restarts;
            }
            restarts++;
            start = next;
            gap = gap == 0 ? 10 : Math.min(2 * gap, 300);
        }
    }

    /** Wall and thread CPU time from {@link #start}, which first collects the previous scenario's garbage. */
    private record Stopwatch(long wall0, long cpu0) {

        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        static Stopwatch start() {
            System.gc();
            return new Stopwatch(System.nanoTime(), THREADS.getCurrentThreadCpuTime());
        }

        Timing stop() {
            return new Timing((System.nanoTime() - wall0) / 1e6, (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e6);
        }
    }
}
