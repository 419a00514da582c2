package io.podvisor.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What deleting a pod costs as the namespace fills: for each size N, a fresh node in this JVM
 * (fake runtime, SQLite store in a temp directory, kubelet and controllers running, the HTTPS API
 * on a free loopback port) gets N pods in {@code default}, then every one is deleted, each through
 * {@code DELETE /api/v1/namespaces/default/pods/NAME} over HTTPS from {@value #SENDERS} concurrent
 * senders. The figure is the wall time of the deletes divided by N; the baseline is the same for
 * the creates of that run. The pods stay unbound (no scheduler takes them), so a delete removes
 * the pod at once and the figure is the API's, the store's and whatever runs on each removal.
 *
 * <p>{@code bench/run delete [--sizes 250,500,1000] [--runs 3]}: the median of the runs per size,
 * after an unmeasured round of 250 on a node of its own.
 */
final class DeleteCost {

    static final int SENDERS = 8;

    private DeleteCost() {}

    /** Milliseconds of wall time per pod for the creates and the deletes of one round. */
    private record Round(double createMs, double deleteMs) {}

    static int run(String[] args) throws Exception {
        int[] sizes = Arrays.stream(Args.get(args, "--sizes", "250,500,1000").split(",")).mapToInt(Integer::parseInt).toArray();
        int runs = Args.integer(args, "--runs", 3);
        round(250);
        Map<Integer, Stats[]> figures = new LinkedHashMap<>();
        for (int r = 0; r < runs; r++) {
            for (int n : sizes) {
                Round round = round(n);
                Stats[] s = figures.computeIfAbsent(n, k -> new Stats[] {new Stats(), new Stats()});
                s[0].add(round.createMs());
                s[1].add(round.deleteMs());
            }
        }
        Report report = new Report(String.format(Locale.ROOT, "delete: pods deleted one by one over HTTPS from %d senders, "
                + "in a namespace of N pods; median of %d runs", SENDERS, runs));
        Stats first = figures.get(sizes[0])[1];
        for (int n : sizes) {
            Stats[] s = figures.get(n);
            report.row(String.format(Locale.ROOT, "delete cost per pod, N = %d (baseline: create cost per pod)", n),
                    s[1].median(), s[0].median(), "ms", "report", null);
        }
        int last = sizes[sizes.length - 1];
        report.note(String.format(Locale.ROOT, "delete cost per pod at N = %d over N = %d: %.2fx (1.00x = linear in N)",
                last, sizes[0], figures.get(last)[1].median() / first.median()));
        report.note("node: in this JVM, fake runtime, kubelet and controllers (garbage collector included) running; "
                + "pods unbound, so each DELETE removes its pod; HTTP/1.1 over TLS on 127.0.0.1");
        report.print(System.out);
        return 0;
    }

    /** A fresh node: creates {@code n} pods, then deletes them all; returns the cost per pod of each. */
    private static Round round(int n) throws Exception {
        try (LocalNode node = LocalNode.start("bench-delete-"); NodeApi api = node.api()) {
            double create = Senders.run(n, SENDERS, i -> api.createPod(name(i), false));
            double delete = Senders.run(n, SENDERS, i -> api.deletePod(name(i)));
            if (api.listPods().path("items").size() != 0) {
                throw new IllegalStateException("pods left after deleting them all");
            }
            return new Round(create * 1e3 / n, delete * 1e3 / n);
        }
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "del-%05d", i);
    }
}
