package io.podvisor.apiserver.http;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /healthz}, {@code /livez} and {@code /readyz} as kube-apiserver answers them: a list of
 * named checks; {@code ok} when all pass ({@code ?verbose} lists them, {@code [+]ping ok} … then
 * {@code livez check passed}); 500 listing every check with {@code [-]<name> failed: reason
 * withheld} and ending {@code livez check failed} when one fails (the reason goes to the log only);
 * {@code ?exclude=<name>} skips a check; {@code /livez/<name>} runs one check ({@code ok}, or 500
 * {@code internal server error: <reason>}).
 *
 * <p>The checks: {@code ping} and {@code log} (always pass: upstream's log check fails only while
 * its log cannot be flushed, and this node's log never blocks a request), {@code etcd} (the store: its last write did not fail
 * for a reason of its own), {@code memory} (no {@link OutOfMemoryError} seen while serving, and the
 * heap after the last collection below {@value #HEAP_LIMIT_PERCENT} % of its ceiling); {@code readyz}
 * adds {@code node-ready} (the node finished starting and is not stopping).
 */
final class Health {

    private static final Logger LOG = LoggerFactory.getLogger(Health.class);
    static final int HEAP_LIMIT_PERCENT = 95;

    /** One named check: empty when it passes, else why not. */
    record Check(String name, Supplier<Optional<String>> problem) {}

    private final List<Check> live;
    private final List<Check> ready;
    private final AtomicReference<String> fatal = new AtomicReference<>();

    /**
     * @param storage why the store cannot serve, if it cannot
     * @param nodeReady whether the node has started and is not stopping
     */
    Health(Supplier<Optional<String>> storage, BooleanSupplier nodeReady) {
        this.live = List.of(
                new Check("ping", Optional::empty),
                new Check("log", Optional::empty),
                new Check("etcd", storage),
                new Check("memory", this::memoryProblem));
        List<Check> r = new ArrayList<>(live);
        r.add(new Check("node-ready", () -> nodeReady.getAsBoolean() ? Optional.empty() : Optional.of("not ready yet")));
        this.ready = List.copyOf(r);
    }

    /**
     * Records an error after which the node cannot be trusted to serve (an {@link OutOfMemoryError}
     * may have ended any thread half-way): {@code memory} fails from now on.
     */
    void fatal(Throwable error) {
        if (fatal.compareAndSet(null, error.toString())) {
            LOG.error("the node can no longer serve: {}", error.toString());
        }
    }

    /** Whether every check of {@code /readyz} passes. */
    boolean ready() {
        return ready.stream().allMatch(c -> c.problem().get().isEmpty());
    }

    /** Answers {@code /<endpoint>[/<check>]}; {@code endpoint} is healthz, livez or readyz. */
    void serve(Exchange ex, String endpoint, List<String> rest) throws IOException {
        List<Check> checks = endpoint.equals("readyz") ? ready : live;
        ex.response.getHeaders().put("X-Content-Type-Options", "nosniff");
        if (!rest.isEmpty()) {
            one(ex, checks, String.join("/", rest));
            return;
        }
        Set<String> excluded = new LinkedHashSet<>(ex.query().all("exclude"));
        StringBuilder out = new StringBuilder();
        List<String> failed = new ArrayList<>();
        StringBuilder reasons = new StringBuilder();
        for (Check c : checks) {
            if (excluded.remove(c.name())) {
                out.append("[+]").append(c.name()).append(" excluded: ok\n");
                continue;
            }
            Optional<String> problem = c.problem().get();
            if (problem.isPresent()) {
                out.append("[-]").append(c.name()).append(" failed: reason withheld\n");
                reasons.append("[-]").append(c.name()).append(" failed: ").append(problem.get()).append('\n');
                failed.add(c.name());
            } else {
                out.append("[+]").append(c.name()).append(" ok\n");
            }
        }
        if (!excluded.isEmpty()) {
            out.append("warn: some health checks cannot be excluded: no matches for ")
                    .append(excluded.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(",")))
                    .append('\n');
        }
        if (!failed.isEmpty()) {
            LOG.warn("{} check failed: {}\n{}", endpoint, String.join(",", failed), reasons);
            ex.sendText(500, out + endpoint + " check failed\n");
        } else if (!ex.query().all("verbose").isEmpty()) {
            ex.sendText(200, out + endpoint + " check passed\n");
        } else {
            ex.sendText(200, "ok");
        }
    }

    private static void one(Exchange ex, List<Check> checks, String name) throws IOException {
        Optional<Check> check = checks.stream().filter(c -> c.name().equals(name)).findFirst();
        if (check.isEmpty()) {
            ex.sendText(404, "404 page not found\n");
            return;
        }
        Optional<String> problem = check.get().problem().get();
        if (problem.isPresent()) {
            ex.sendText(500, "internal server error: " + problem.get() + "\n");
        } else {
            ex.sendText(200, "ok");
        }
    }

    private Optional<String> memoryProblem() {
        String error = fatal.get();
        if (error != null) {
            return Optional.of(error);
        }
        return heapProblem(ManagementFactory.getMemoryPoolMXBeans(), Runtime.getRuntime().maxMemory());
    }

    /** The heap is nearly full even right after a collection: the node is about to fail. */
    static Optional<String> heapProblem(List<MemoryPoolMXBean> pools, long max) {
        if (max <= 0 || max == Long.MAX_VALUE) {
            return Optional.empty();
        }
        long afterCollection = 0;
        for (MemoryPoolMXBean pool : pools) {
            if (pool.getType() != MemoryType.HEAP || !pool.isCollectionUsageThresholdSupported()) {
                continue;
            }
            MemoryUsage usage = pool.getCollectionUsage();
            if (usage != null) {
                afterCollection += usage.getUsed();
            }
        }
        if (afterCollection * 100 >= max * HEAP_LIMIT_PERCENT) {
            return Optional.of(String.format(Locale.ROOT, "heap after the last collection is %d of %d bytes",
                    afterCollection, max));
        }
        return Optional.empty();
    }
}
