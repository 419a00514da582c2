package io.podvisor.runtime.linux;

import io.podvisor.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Runs short host commands ({@code ip}, {@code mount}, {@code runc}) to completion and returns what
 * they printed. Stdin is empty; stdout and stderr are read concurrently so neither can block.
 */
public final class HostCommand {

    /** What a finished command returned. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** stderr, or stdout when stderr is empty, trimmed. */
        public String message() {
            String s = stderr.isBlank() ? stdout : stderr;
            return s.strip();
        }
    }

    /**
     * How many commands may run at once. A burst (a thousand pods deleted at once) otherwise starts
     * a thousand processes together, each with a JDK reaper thread and its pipes read by blocked
     * threads, and the node's memory balloons while the kernel serves them no faster.
     */
    private static final int LIMIT = Math.max(4, 4 * Runtime.getRuntime().availableProcessors());
    private static final Semaphore RUNNING = new Semaphore(LIMIT, true);

    private HostCommand() {}

    /** How many commands run at once at most; more wait their turn. */
    public static int concurrencyLimit() {
        return LIMIT;
    }

    /** Runs {@code argv} and waits for it. */
    public static Result run(List<String> argv) throws IOException {
        return run(argv, null);
    }

    /** Runs {@code argv} with {@code input} (may be null) written to its stdin, and waits for it. */
    public static Result run(List<String> argv, String input) throws IOException {
        try {
            RUNNING.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted before running " + argv);
        }
        try {
            return runNow(argv, input);
        } finally {
            RUNNING.release();
        }
    }

    private static Result runNow(List<String> argv, String input) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()),
                Thread.ofVirtual()::start);
        if (input != null) {
            try (var in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = readAll(p.getInputStream());
        try {
            int code = p.waitFor();
            return new Result(code, out, err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running " + argv);
        }
    }

    /**
     * Runs {@code argv} and fails unless it exits 0.
     *
     * @throws RuntimeFailure with {@code what: <the command's message>} otherwise
     */
    public static String check(String what, List<String> argv) throws RuntimeFailure {
        try {
            Result r = run(argv);
            if (!r.ok()) {
                throw new RuntimeFailure(what + ": " + r.message());
            }
            return r.stdout();
        } catch (IOException e) {
            throw new RuntimeFailure(what + ": " + e.getMessage(), e);
        }
    }

    /** {@code argv} as a list, for call sites that build commands from parts. */
    public static List<String> argv(String first, String... rest) {
        List<String> l = new ArrayList<>(rest.length + 1);
        l.add(first);
        l.addAll(List.of(rest));
        return l;
    }

    /**
     * Completes when {@code p} has exited. Unlike {@link Process#onExit()}, whose completion runs on
     * the common fork-join pool (one thread on a two-core machine, so anything blocking there
     * would stall every exit), the wait runs on a virtual thread of its own.
     */
    public static CompletableFuture<Process> exitOf(Process p) {
        CompletableFuture<Process> done = new CompletableFuture<>();
        Thread.ofVirtual().name("wait-" + p.pid()).start(() -> {
            boolean interrupted = false;
            while (true) {
                try {
                    p.waitFor();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            done.complete(p);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        });
        return done;
    }

    /** True if {@code name} is an executable on the PATH. */
    public static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if this process runs with user id 0 (read from {@code /proc/self/status}; false where
     * that cannot be read, i.e. off Linux).
     */
    public static boolean runningAsRoot() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** Everything {@code in} gives until its end, as UTF-8, then closes it; what was read before a failure is lost. */
    public static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
