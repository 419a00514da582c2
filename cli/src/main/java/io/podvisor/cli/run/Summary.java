package io.podvisor.cli.run;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.podvisor.api.Times;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.printers.EventAges;
import io.podvisor.api.printers.Tables;
import io.podvisor.api.resources.ResourceTypes;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The closing summary: per pod its phase, each init, sidecar and main container's state (with
 * reason and exit code), last state, readiness and restarts, and its events as
 * {@code kubectl describe} lists them (Type, Reason, Age, From, Message); then the Jobs with
 * {@code kubectl get jobs}' STATUS, COMPLETIONS and DURATION.
 */
final class Summary {

    private final ObjectClient client;
    private final PrintWriter out;

    Summary(ObjectClient client, PrintWriter out) {
        this.client = client;
        this.out = out;
    }

    void print(Instant now) {
        List<Event> events = client.list(Event.class, null, null, null);
        List<Pod> pods = new ArrayList<>(client.list(Pod.class, null, null, null));
        pods.sort(Comparator.comparing((Pod p) -> p.getMetadata().getNamespace()).thenComparing(p -> p.getMetadata().getName()));
        for (Pod pod : pods) {
            pod(pod, events, now);
        }
        List<Job> jobs = client.list(Job.class, null, null, null);
        if (!jobs.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("JOB", "STATUS", "COMPLETIONS", "DURATION"));
            for (Job job : jobs) {
                List<Object> cells = Tables.cells(ResourceTypes.JOBS, job, now);
                rows.add(List.of("job/" + job.getMetadata().getName(), String.valueOf(cells.get(1)),
                        String.valueOf(cells.get(2)), String.valueOf(cells.get(3))));
            }
            table(rows, "");
        }
        out.flush();
    }

    private void pod(Pod pod, List<Event> events, Instant now) {
        String phase = Progress.phase(pod);
        out.println("Pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + ": "
                + (phase.isEmpty() ? "Pending" : phase));
        var status = pod.getStatus();
        if (status != null) {
            containers("Init Containers", status.getInitContainerStatuses());
            containers("Containers", status.getContainerStatuses());
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Type", "Reason", "Age", "From", "Message"));
        rows.add(List.of("----", "------", "----", "----", "-------"));
        events.stream()
                .filter(e -> e.getInvolvedObject() != null && "Pod".equals(e.getInvolvedObject().getKind())
                        && pod.getMetadata().getName().equals(e.getInvolvedObject().getName())
                        && pod.getMetadata().getNamespace().equals(e.getInvolvedObject().getNamespace()))
                .sorted(Comparator.comparing(Summary::firstSeen))
                .forEach(e -> rows.add(List.of(orEmpty(e.getType()), orEmpty(e.getReason()), EventAges.age(e, now),
                        from(e), orEmpty(e.getMessage()))));
        out.println("  Events:" + (rows.size() == 2 ? "  <none>" : ""));
        if (rows.size() > 2) {
            table(rows, "    ");
        }
    }

    private void containers(String title, List<ContainerStatus> statuses) {
        if (statuses == null || statuses.isEmpty()) {
            return;
        }
        out.println("  " + title + ":");
        for (ContainerStatus s : statuses) {
            out.println("    " + s.getName() + ": " + state(s.getState()) + ", Ready: " + Boolean.TRUE.equals(s.getReady())
                    + ", Restarts: " + (s.getRestartCount() == null ? 0 : s.getRestartCount()));
            if (s.getLastState() != null && !state(s.getLastState()).equals("Waiting")) {
                out.println("      Last State: " + state(s.getLastState()));
            }
        }
    }

    /** {@code Running}, {@code Waiting (CrashLoopBackOff)}, {@code Terminated (Error, exit code 1)}. */
    static String state(ContainerState state) {
        if (state == null) {
            return "Waiting";
        }
        if (state.getRunning() != null) {
            return "Running";
        }
        ContainerStateTerminated t = state.getTerminated();
        if (t != null) {
            return "Terminated (" + (t.getReason() == null ? "" : t.getReason() + ", ") + "exit code "
                    + (t.getExitCode() == null ? 0 : t.getExitCode()) + ")";
        }
        if (state.getWaiting() != null && state.getWaiting().getReason() != null) {
            return "Waiting (" + state.getWaiting().getReason() + ")";
        }
        return "Waiting";
    }

    private void table(List<List<String>> rows, String indent) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder b = new StringBuilder(indent);
            for (int i = 0; i < row.size(); i++) {
                b.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
            }
            out.println(b.toString().stripTrailing());
        }
    }

    private static Instant firstSeen(Event e) {
        Instant t = Times.parse(e.getFirstTimestamp());
        if (t == null) {
            t = Times.parse(e.getMetadata().getCreationTimestamp());
        }
        return t == null ? Instant.EPOCH : t;
    }

    private static String from(Event e) {
        if (e.getSource() != null && e.getSource().getComponent() != null) {
            return e.getSource().getComponent();
        }
        return orEmpty(e.getReportingComponent());
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
