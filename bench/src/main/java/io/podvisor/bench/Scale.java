package io.podvisor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvisor.core.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scale: {@code ./podvisor server} (runc, {@code --max-pods} raised) as its own process with 500,
 * then 1000 running pods, each a busybox web server with an HTTP readiness probe every 10 s. At
 * each size, once every pod is ready: the server process's CPU over a steady window (from {@code
 * /proc/PID/stat}, as a share of one core) and its resident memory ({@code VmRSS}), and the latency
 * of the real {@code kubectl get pods}. Baseline in the same run: the same server with no pods.
 *
 * <p>{@code bench/run scale [--sizes 500,1000] [--window 60] [--settle 20]} (seconds; the window starts
 * {@code --settle} seconds after the last pod is ready), as root with runc.
 */
final class Scale {

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private static final int BATCH = 50;

    private record Sample(double cpuShare, double rssMb, Stats kubectlMs) {}

    private Scale() {}

    static int run(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String n : Args.get(args, "--sizes", "500,1000").split(",")) {
            sizes.add(Integer.parseInt(n.strip()));
        }
        int window = Integer.parseInt(Args.get(args, "--window", "60"));
        int settle = Integer.parseInt(Args.get(args, "--settle", "20"));
        int most = sizes.stream().mapToInt(Integer::intValue).max().orElse(110);
        List<String> restore = NeighbourTable.fit(most);
        Path data = Files.createTempDirectory("bench-scale-");
        Process server = ServerProcess.start(data, "--runtime", "runc", "--pod-cidr", "10.233.0.0/16",
                "--max-pods", Integer.toString(most + 10));
        Report report = new Report("scale: podvisor server (runc) with N running pods, HTTP readiness probe every 10 s");
        try {
            int port = ServerProcess.port(server);
            long pid = javaPid(server);
            try (NodeApi api = new NodeApi(port, data)) {
                Sample idle = sample(pid, window, data);
                report.note("baseline, the same server with no pods: CPU " + pct(idle.cpuShare()) + " of a core, RSS "
                        + Stats.fmt(idle.rssMb()) + " MB, kubectl get pods " + idle.kubectlMs().summary("ms"));
                int created = 0;
                for (int size : sizes) {
                    long t0 = System.nanoTime();
                    // in steps of BATCH, each ready before the next: a burst of hundreds of runc
                    // starts saturates two cores for minutes, and steady state is what is measured
                    for (int next = created; next < size; next += BATCH) {
                        createPods(api, next, Math.min(size, next + BATCH));
                        awaitReady(api, Math.min(size, next + BATCH));
                    }
                    created = size;
                    long readyIn = (System.nanoTime() - t0) / 1_000_000;
                    Thread.sleep(settle * 1000L); // the last pods' first probes and status writes: not the steady state
                    Sample s = sample(pid, window, data);
                    report.row(size + " pods: CPU, % of one core", s.cpuShare() * 100, idle.cpuShare() * 100, "%",
                                    size >= 1000 ? "<= 10 % at 1000" : "report", size >= 1000 ? s.cpuShare() <= 0.10 : null)
                            .row(size + " pods: RSS", s.rssMb(), idle.rssMb(), "MB", "<= 512 MB",
                                    size >= 1000 ? s.rssMb() <= 512 : null)
                            .row(size + " pods: kubectl get pods (median)", s.kubectlMs().median(), idle.kubectlMs().median(),
                                    "ms", "report", null)
                            .note(size + " pods: all ready " + readyIn / 1000 + " s after the first create; kubectl "
                                    + s.kubectlMs().summary("ms"));
                }
                api.deleteAllPods();
                awaitGone(api);
            }
        } finally {
            ServerProcess.stop(server, Duration.ofMinutes(15)); // it removes its containers, mounts and links
            FileTrees.delete(data);
            NeighbourTable.restore(restore);
        }
        if (!restore.isEmpty()) {
            report.note("the host's ARP table limits were raised for the run (one entry per pod address): " + restore);
        }
        report.print(System.out);
        return 0;
    }

    private static byte[] pod(String name) {
        return ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"scale\"}},"
                + "\"spec\":{\"terminationGracePeriodSeconds\":0,\"containers\":[{\"name\":\"web\",\"image\":\"localhost/busybox:host\","
                + "\"command\":[\"sh\",\"-c\",\"mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www\"],"
                + "\"readinessProbe\":{\"httpGet\":{\"path\":\"/\",\"port\":8080},\"periodSeconds\":10}}]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void createPods(NodeApi api, int from, int to) throws Exception {
        try (ExecutorService senders = Executors.newFixedThreadPool(4)) {
            List<Future<byte[]>> done = new ArrayList<>();
            for (int i = from; i < to; i++) {
                String name = "scale-" + i;
                done.add(senders.submit(() -> api.createPod(name, pod(name))));
            }
            for (Future<byte[]> f : done) {
                f.get();
            }
        }
    }

    /** Waits until {@code size} pods are Ready (at most 15 minutes). */
    private static void awaitReady(NodeApi api, int size) throws Exception {
        poll(Duration.ofMinutes(15), "every pod ready", () -> ready(api) >= size);
    }

    private static int ready(NodeApi api) throws InterruptedException {
        JsonNode list;
        try {
            list = api.listPods();
        } catch (IOException e) { // a busy node may take long to answer: ask again
            return -1;
        }
        int ready = 0;
        for (JsonNode p : list.path("items")) {
            for (JsonNode c : p.path("status").path("conditions")) {
                if (c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True")) {
                    ready++;
                }
            }
        }
        return ready;
    }

    /** Waits until the pods are gone (at most 10 minutes). */
    private static void awaitGone(NodeApi api) throws Exception {
        poll(Duration.ofMinutes(10), "every pod gone", () -> api.listPods().path("items").isEmpty());
    }

    /** Asks {@code done} every 2 s until it holds; fails after {@code limit}. */
    private static void poll(Duration limit, String what, Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.call()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("not " + what + " within " + limit.toMinutes() + " minutes");
            }
            Thread.sleep(2000);
        }
    }

    /** CPU share of one core over {@code seconds}, RSS at the end, and five timed {@code kubectl get pods}. */
    private static Sample sample(long pid, int seconds, Path data) throws Exception {
        long before = cpuTicks(pid);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long ticks = cpuTicks(pid) - before;
        double wall = (System.nanoTime() - t0) / 1e9;
        double share = ticks / (double) TICKS_PER_SECOND / wall;
        double rss = rssKb(pid) / 1024.0;
        Stats kubectl = new Stats();
        for (int i = 0; i < 6; i++) {
            long k0 = System.nanoTime();
            Process p = new ProcessBuilder("kubectl", "--kubeconfig=" + data.resolve("kubeconfig"), "get", "pods")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() != 0) {
                throw new IOException("kubectl get pods exited " + p.exitValue());
            }
            if (i > 0) { // the first fills kubectl's discovery cache
                kubectl.add((System.nanoTime() - k0) / 1e6);
            }
        }
        return new Sample(share, rss, kubectl);
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readAllLines(Path.of("/proc/" + pid + "/stat")).getFirst();
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /** The launcher execs java, so the launcher's process is the JVM (checked). */
    private static long javaPid(Process server) throws IOException {
        String comm = Files.readString(Path.of("/proc/" + server.pid() + "/comm")).strip();
        if (!comm.equals("java")) {
            throw new IOException("the server process is " + comm + ", not the JVM");
        }
        return server.pid();
    }

    private static String pct(double share) {
        return Stats.fmt(share * 100) + " %";
    }
}
