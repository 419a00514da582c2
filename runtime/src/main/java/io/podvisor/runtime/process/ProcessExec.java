package io.podvisor.runtime.process;

import io.podvisor.runtime.linux.HostCommand;
import io.podvisor.core.Clock;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.ExecResult;
import io.podvisor.runtime.ExecStreams;
import io.podvisor.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Exec for the {@link ProcessRuntime}: the command runs on the host in its own process group with
 * the container's environment, working directory and cgroup. A command that cannot be started
 * answers exit code 127 (not found) or 126 with the reason as output, as a shell would.
 */
final class ProcessExec {

    /** The exit code of an exec into a container that is not running. */
    static final int NOT_RUNNING = 126;

    private final ProcessRuntime runtime;

    ProcessExec(ProcessRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Runs {@code command} to completion with combined output, killing its group at {@code timeout}
     * (none when zero: the container's end kills it, see {@link ProcessContainer}).
     */
    CompletionStage<ExecResult> run(ProcessContainer c, List<String> command, Duration timeout) {
        Process p;
        try {
            p = start(c, command, true, false);
        } catch (RuntimeFailure e) {
            return CompletableFuture.completedFuture(ExecResult.exited(failureCode(e), e.getMessage()));
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> HostCommand.readAll(p.getInputStream()),
                runtime.executor());
        AtomicBoolean timedOut = new AtomicBoolean();
        Clock.Timer timer = timeout.isZero() ? () -> { } : runtime.clock().schedule(timeout, () -> {
            timedOut.set(true);
            runtime.executor().execute(() -> runtime.launcher().signal(p.toHandle(), "KILL"));
        });
        return HostCommand.exitOf(p).thenCombine(output, (done, out) -> {
            timer.cancel();
            return timedOut.get() ? ExecResult.timeout() : ExecResult.exited(done.exitValue(), out);
        });
    }

    /** Runs {@code command} with its streams connected to {@code io}; completes with its exit code. */
    CompletionStage<Integer> stream(ProcessContainer c, List<String> command, ExecStreams io) {
        Process p;
        try {
            p = start(c, command, io.tty(), io.stdin() != null);
        } catch (RuntimeFailure e) {
            try {
                (io.stderr() != null && !io.tty() ? io.stderr() : io.stdout()).write(
                        (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the client is gone
            }
            return CompletableFuture.completedFuture(failureCode(e));
        }
        List<CompletableFuture<Void>> copies = new ArrayList<>();
        copies.add(copy(p.getInputStream(), io.stdout()));
        if (!io.tty()) {
            copies.add(copy(p.getErrorStream(), io.stderr()));
        }
        if (io.stdin() != null) {
            runtime.executor().execute(() -> {
                try (OutputStream to = p.getOutputStream()) {
                    io.stdin().transferTo(to);
                } catch (IOException e) {
                    // the command ended or the client closed its input
                }
            });
        }
        return HostCommand.exitOf(p).thenCombine(CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new)),
                (done, v) -> done.exitValue());
    }

    private Process start(ProcessContainer c, List<String> command, boolean mergeErrors, boolean input)
            throws RuntimeFailure {
        if (c == null || c.state() != ContainerState.RUNNING) {
            throw new RuntimeFailure("container not running");
        }
        if (command.isEmpty()) {
            throw new RuntimeFailure("exec: no command");
        }
        List<String> argv = new ArrayList<>(command);
        try {
            argv.set(0, Launcher.resolve(command.getFirst(), c.env.get("PATH"), c.workDir));
        } catch (RuntimeFailure e) {
            throw new RuntimeFailure(Launcher.execFailed(e.getMessage()));
        }
        Process p = runtime.launch(argv, c.env, c.workDir, c.cgroup(), mergeErrors, input);
        c.execStarted(p);
        return p;
    }

    private static int failureCode(RuntimeFailure e) {
        String m = e.getMessage();
        return m.contains("not found") || m.contains("no such file") ? 127 : NOT_RUNNING;
    }

    private CompletableFuture<Void> copy(InputStream from, OutputStream to) {
        return CompletableFuture.runAsync(() -> {
            byte[] buf = new byte[8192];
            try (from) {
                int n;
                while ((n = from.read(buf)) > 0) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // the command ended or the client went away
            }
        }, runtime.executor());
    }
}
