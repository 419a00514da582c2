package io.podvisor.cli.run;

import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registries;
import io.podvisor.cli.run.Manifests.Manifest;
import io.podvisor.cli.run.Progress.Outcome;
import io.podvisor.core.Clock;
import io.podvisor.runtime.image.ImageService;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One run on a started node: watch, create the objects, wait for the condition with the
 * timeline streaming, print the summary. Returns the exit code; the caller cleans up.
 */
final class Session {

    /** How long the timeline keeps printing after the condition held. */
    static final Duration SETTLE = Duration.ofMillis(500);

    private final Registries registries;
    private final Clock clock;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Cleanup cleanup;
    private final ImageService images;

    Session(Registries registries, ImageService images, Clock clock, PrintWriter out, PrintWriter err, Cleanup cleanup) {
        this.registries = registries;
        this.images = images;
        this.clock = clock;
        this.out = out;
        this.err = err;
        this.cleanup = cleanup;
    }

    int run(List<Manifest> manifests, Until until, Duration limit) {
        Instant start = clock.now();
        Progress progress = new Progress(until.mode());
        Applier applier = new Applier(registries, out, err);
        cleanup.objects(applier);
        try (Timeline timeline = new Timeline(registries, clock, start, out, progress)) {
            timeline.showPulls(images);
            timeline.start();
            if (!applier.apply(manifests)) {
                out.flush();
                err.flush();
                return 1;
            }
            out.flush();
            List<Applier.Created> created = applier.created();
            progress.expect(keys(created, ResourceTypes.PODS.kind()), keys(created, ResourceTypes.JOBS.kind()));
            Duration wait = until.mode() == Until.Mode.DURATION ? until.duration() : limit;
            Outcome timedOut = until.mode() == Until.Mode.DURATION ? Outcome.HELD : Outcome.TIMED_OUT;
            Clock.Timer timer = clock.schedule(wait, () -> progress.end(timedOut));
            Outcome outcome = progress.done().join();
            timer.cancel();
            settle();
            timeline.close();
            Instant now = clock.now();
            out.println(Timeline.prefix(Duration.between(start, now)) + " " + verdict(until, outcome, wait));
            out.println();
            new Summary(registries, out).print(now);
            return outcome == Outcome.HELD ? 0 : 1;
        }
    }

    /** Lets the events written just before the condition held reach the timeline. */
    private void settle() {
        CompletableFuture<Void> settled = new CompletableFuture<>();
        clock.schedule(SETTLE, () -> settled.complete(null));
        settled.join();
    }

    private static String verdict(Until until, Outcome outcome, Duration wait) {
        String what = switch (until.mode()) {
            case READY -> "every pod ready";
            case COMPLETE -> "every Job and pod finished";
            case DURATION -> "ran for " + io.podvisor.core.GoDuration.format(wait);
        };
        return switch (outcome) {
            case HELD -> until.mode() == Until.Mode.DURATION ? what : "condition met: " + what;
            case FAILED -> "finished, with failures";
            case TIMED_OUT -> "timed out after " + io.podvisor.core.GoDuration.format(wait) + " waiting for " + what;
        };
    }

    private static List<String> keys(List<Applier.Created> created, String kind) {
        return created.stream().filter(c -> c.type().kind().equals(kind))
                .map(c -> Timeline.key(c.namespace(), c.name())).toList();
    }
}
