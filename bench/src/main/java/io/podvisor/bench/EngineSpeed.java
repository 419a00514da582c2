package io.podvisor.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The lifecycle engine in virtual time (the kubelet on the fake runtime, {@code NodeHarness}):
 * <ul>
 *   <li>a) one pod whose container exits 1 a second after every start, for H simulated hours
 *       (CrashLoopBackOff curve, BackOff events aggregated, status updates): wall milliseconds per
 *       simulated pod-hour;</li>
 *   <li>b) N pods, each with an exec readiness and an exec liveness probe every 10 s, for H
 *       simulated hours: simulated pod-hours per wall-second.</li>
 * </ul>
 * Baselines in the same run: real time (a real node needs H × 3600 s of wall time for the same
 * span), given as the speed-up factor, and an idle node advanced over the same span (the harness's
 * and the node's own timers), so the engine's share is visible. The program checks the simulation's
 * outcome (restartCount against the back-off curve, probe execs, pods healthy) and exits 1 if the
 * figures could have come from a simulation that did nothing.
 *
 * <p>{@code bench/run engine [--pods N] [--hours H] [--runs R] [--warmup W]} (defaults 100, 1, 5, 3:
 * W unmeasured passes of every scenario first, then medians over R runs).
 */
final class EngineSpeed {

    /** From the product brief: "a pod that crash-loops for an hour must cost milliseconds". */
    private static final double CRASH_TARGET_MS_PER_POD_HOUR = 100;
    /** Ours: the probed pods at least 1000× faster than real time (an hour of 100 such pods in ≤ 3.6 s). */
    private static final double PROBED_TARGET_SPEEDUP = 1000;

    private EngineSpeed() {}

    static int run(String[] args) {
        int pods = Args.integer(args, "--pods", 100);
        double hours = Double.parseDouble(Args.get(args, "--hours", "1"));
        int runs = Args.integer(args, "--runs", 5);
        int warmups = Args.integer(args, "--warmup", 3);
        Duration span = Duration.ofSeconds(Math.round(hours * 3600));
        if (pods < 1 || runs < 1 || warmups < 0 || span.isZero() || span.isNegative()) {
            System.err.println("usage: bench/run engine [--pods N>0] [--hours H>0] [--runs R>0] [--warmup W>=0]");
            return 2;
        }
        Samples idle = new Samples();
        Samples crash = new Samples();
        Samples probed = new Samples();
        EngineScenarios.CrashLoop lastCrash = null;
        EngineScenarios.Probed lastProbed = null;
        for (int i = -warmups; i < runs; i++) { // i < 0: warm-up (the JIT compiles the engine), not counted
            EngineScenarios.Timing idleRun = EngineScenarios.idle(span);
            lastCrash = EngineScenarios.crashLoop(span);
            lastProbed = EngineScenarios.probedPods(pods, span);
            if (i >= 0) {
                idle.add(idleRun);
                crash.add(lastCrash.timing());
                probed.add(lastProbed.timing());
            }
        }
        List<String> failures = new EngineChecks(span, pods).check(lastCrash, lastProbed);
        Report report = table(span, pods, idle.wall.median(), crash.wall.median(), probed.wall.median());
        notes(report, span, pods, idle, crash, probed, lastCrash, lastProbed).print(System.out);
        failures.forEach(f -> System.out.println("FAILED: " + f));
        return failures.isEmpty() ? 0 : 1;
    }

    /** Wall and thread CPU milliseconds of a scenario's runs. */
    private static final class Samples {
        final Stats wall = new Stats();
        final Stats cpu = new Stats();

        void add(EngineScenarios.Timing t) {
            wall.add(t.wallMs());
            cpu.add(t.cpuMs());
        }

        String summary() {
            return "wall " + wall.summary("ms") + "; thread CPU " + cpu.summary("ms");
        }
    }

    private static Report table(Duration span, int pods, double idleMs, double crashMs, double probedMs) {
        double hours = span.toSeconds() / 3600.0;
        double realMs = span.toMillis();
        double crashPerPodHour = crashMs / hours;
        double probedSpeedup = realMs / probedMs;
        return new Report("engine: the kubelet on the fake runtime in virtual time, " + Stats.fmt(hours) + " h simulated per run")
                .row("a) crash-looping pod: wall per simulated pod-hour", crashPerPodHour, realMs / hours, "ms",
                        "<= " + Stats.fmt(CRASH_TARGET_MS_PER_POD_HOUR) + " ms", crashPerPodHour <= CRASH_TARGET_MS_PER_POD_HOUR)
                .row("   baseline 2: idle node, wall per simulated hour", idleMs / hours, realMs / hours, "ms", "", null)
                .text("   speed-up over real time (sim s / wall s)", factor(realMs / crashMs), "1x", "", null)
                .row("b) " + pods + " probed pods: simulated pod-hours per wall-second", pods * hours / (probedMs / 1000),
                        pods * hours / (realMs / 1000), "pod-h/s", ">= " + factor(PROBED_TARGET_SPEEDUP) + " real time",
                        probedSpeedup >= PROBED_TARGET_SPEEDUP)
                .row("   baseline 2: idle node, wall for the same span", idleMs, realMs, "ms", "", null)
                .text("   speed-up over real time (sim s / wall s)", factor(probedSpeedup), "1x", "", null);
    }

    private static Report notes(Report r, Duration span, int pods, Samples idle, Samples crash, Samples probed,
                                EngineScenarios.CrashLoop c, EngineScenarios.Probed p) {
        return r.note("baseline: real time (a real node needs " + Stats.fmt(span.toSeconds()) + " s of wall time for the span);"
                        + " baseline 2: a node with no pods advanced over the same span (the harness's and the node's own timers)")
                .note("a) per run: " + crash.summary())
                .note("a) engine share over the idle node: " + share(crash, idle))
                .note("a) restartCount " + c.restartCount() + " (back-off curve: "
                        + EngineScenarios.expectedRestarts(span, EngineScenarios.CRASH_RUN) + "), kubectl: " + c.kubectl())
                .note("a) BackOff events: " + String.join("; ", c.backOffEvents()))
                .note("b) per run: " + probed.summary())
                .note("b) engine share over the idle node: " + share(probed, idle))
                .note("b) probe execs answered: " + p.probeExecs() + " (2 probes × " + pods + " pods every "
                        + EngineScenarios.PROBE_PERIOD_SECONDS + " s ≈ " + EngineChecks.expectedExecs(span, pods)
                        + "); pods 1/1 Running 0: " + p.healthyPods() + "/" + pods)
                .note("idle node per run: " + idle.summary());
    }

    private static String share(Samples scenario, Samples idle) {
        return "wall " + Stats.fmt(Math.max(0, scenario.wall.median() - idle.wall.median())) + " ms, thread CPU "
                + Stats.fmt(Math.max(0, scenario.cpu.median() - idle.cpu.median())) + " ms (medians)";
    }

    private static String factor(double f) {
        return String.format(Locale.ROOT, "%.0fx", f);
    }
}
