package io.podvisor.cli.run;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.printers.PodColumns;
import io.podvisor.api.printers.Tables;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.cli.image.PullPrinter;
import io.podvisor.core.Clock;
import io.podvisor.runtime.image.ImageService;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The live timeline: watches pods, Jobs and events through the node's watch API and prints one
 * line per change, prefixed by the time since start ({@code [  2.1s]}). A pod's line is its
 * {@code kubectl get pods} READY, STATUS and RESTARTS, printed when one of them changes; a Job's
 * line is its STATUS and COMPLETIONS; an event's line is type, reason, object and message, and a
 * repeat is printed again with its count; image downloads show as {@code pull …} lines (resolved,
 * per-layer bytes at most every half second, done, unpacking). Every change is handed to a {@link Progress}, which
 * decides whether the wait is over.
 *
 * <p>Thread-safety: handlers run on the store's delivery thread; all state is guarded by this.
 */
final class Timeline implements AutoCloseable {

    private final ObjectClient client;
    private final Clock clock;
    private final Instant start;
    private final PrintWriter out;
    private final Progress progress;
    private final Map<String, String> podLines = new HashMap<>();
    private final Map<String, String> jobLines = new HashMap<>();
    private final Map<String, Integer> eventCounts = new HashMap<>();
    private final List<ObjectClient.Subscription> subscriptions = new ArrayList<>();
    private boolean replaying;

    Timeline(ObjectClient client, Clock clock, Instant start, PrintWriter out, Progress progress) {
        this.client = client;
        this.clock = clock;
        this.start = start;
        this.out = out;
        this.progress = progress;
    }

    /**
     * Starts the watches. Existing pods and Jobs are reported first; events that exist already
     * (a kept data directory holds them for an hour) are only remembered, not printed.
     */
    void start() {
        synchronized (this) {
            replaying = true;
            subscriptions.add(client.watch(Event.class, null, this::onEvent));
            replaying = false;
        }
        subscriptions.add(client.watch(Pod.class, null, this::onPod));
        subscriptions.add(client.watch(Job.class, null, this::onJob));
    }

    private synchronized void onPod(String type, Pod pod) {
        String key = key(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        if (type.equals("DELETED")) {
            podLines.remove(key);
            progress.podGone(key);
            return;
        }
        Instant now = clock.now();
        String restarts = PodColumns.restarts(pod, now);
        String line = PodColumns.ready(pod) + " " + PodColumns.status(pod) + " " + restarts;
        String compare = PodColumns.ready(pod) + " " + PodColumns.status(pod) + " " + restartCount(restarts);
        if (!compare.equals(podLines.put(key, compare))) {
            print("pod/" + pod.getMetadata().getName() + " " + line);
        }
        progress.pod(key, pod);
    }

    private synchronized void onJob(String type, Job job) {
        String key = key(job.getMetadata().getNamespace(), job.getMetadata().getName());
        if (type.equals("DELETED")) {
            jobLines.remove(key);
            return;
        }
        List<Object> cells = Tables.cells(ResourceTypes.JOBS, job, clock.now());
        String line = cells.get(1) + " " + cells.get(2);
        if (!line.equals(jobLines.put(key, line))) {
            print("job/" + job.getMetadata().getName() + " " + line);
        }
        progress.job(key, job);
    }

    private synchronized void onEvent(String type, Event e) {
        ObjectReference o = e.getInvolvedObject();
        if (type.equals("DELETED") || o == null || "Node".equals(o.getKind())) {
            return;
        }
        int count = e.getCount() == null ? 1 : e.getCount();
        Integer seen = eventCounts.put(e.getMetadata().getUid(), count);
        if (replaying || (seen != null && seen >= count)) {
            return;
        }
        String kind = o.getKind() == null ? "" : o.getKind().toLowerCase(Locale.ROOT);
        print(e.getType() + " " + e.getReason() + " " + kind + "/" + o.getName() + ": " + e.getMessage()
                + (count > 1 ? " (x" + count + ")" : ""));
    }

    /** Prints the progress of every download {@code images} makes from now on as {@code pull …} lines. */
    void showPulls(ImageService images) {
        images.observe(new PullPrinter(text -> printLocked("pull " + text), clock));
    }

    private synchronized void printLocked(String line) {
        print(line);
    }

    private void print(String line) {
        out.println(prefix(Duration.between(start, clock.now())) + " " + line);
        out.flush();
    }

    /** {@code [  2.1s]}: seconds since start, one decimal, right-aligned. */
    static String prefix(Duration since) {
        return String.format(Locale.ROOT, "[%5.1fs]", Math.max(0, since.toMillis()) / 1000.0);
    }

    private static String restartCount(String restarts) {
        int paren = restarts.indexOf(' ');
        return paren < 0 ? restarts : restarts.substring(0, paren);
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    @Override
    public void close() {
        subscriptions.forEach(ObjectClient.Subscription::close);
        subscriptions.clear();
    }
}
