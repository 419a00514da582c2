package io.podvisor.bench;

import io.podvisor.apiserver.fuzz.FuzzNode;
import io.podvisor.apiserver.fuzz.FuzzRun;

/**
 * The API fuzz run of the build's {@code ApiFuzzTest}, longer: mutated objects of every served kind
 * through the HTTPS API of an in-process node on a memory store, checking that no request answers
 * 5xx or hangs, that a rejected request stores nothing and that every listing is still served.
 *
 * <p>{@code bench/run fuzz [--requests N] [--seed S] [--runs R]} (defaults 20000, 1, 1; run
 * {@code r} uses seed {@code S + r}). Exit code 1 when any run found a failure.
 */
final class ApiFuzz {

    private ApiFuzz() {}

    static int run(String[] args) throws Exception {
        int requests = Args.integer(args, "--requests", 20_000);
        int seed = Args.integer(args, "--seed", 1);
        int runs = Args.integer(args, "--runs", 1);
        boolean failed = false;
        for (int r = 0; r < runs; r++) {
            try (FuzzNode node = new FuzzNode()) {
                long start = System.nanoTime();
                FuzzRun.Result result = new FuzzRun(node, seed + r).run(requests);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("fuzz seed %d: %s%n  %.1f s, %.0f requests/s%n", seed + r, FuzzRun.describe(result),
                        seconds, requests / seconds);
                failed |= !result.failures().isEmpty();
            }
        }
        return failed ? 1 : 0;
    }
}
