package io.podvisor.apiserver.http;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.api.errors.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Scripted logs and exec. Logs: {@code line 1..3} for the container, then with {@code follow}
 * every line the test {@link #followLines offers} until {@code null}-marker {@link #END}.
 * Exec: {@code echo args…} writes to stdout; {@code fail N} writes to stderr and exits N;
 * {@code cat} copies stdin to stdout until EOF.
 */
final class FakeContainerStreams implements ContainerStreams {

    static final String END = "\u0000end";

    final BlockingQueue<String> followLines = new LinkedBlockingQueue<>();
    /** How often a quiet follow flushes, as the kubelet's follower ticks. */
    static final java.time.Duration TICK = java.time.Duration.ofMillis(50);
    /** Follows in progress. */
    final java.util.concurrent.atomic.AtomicInteger following = new java.util.concurrent.atomic.AtomicInteger();
    volatile LogOptions lastLogOptions;
    volatile String lastContainer;
    volatile boolean lastStdinPresent;

    @Override
    public void logs(Pod pod, String container, LogOptions options, OutputStream out) throws IOException {
        lastLogOptions = options;
        lastContainer = container;
        if (options.previous()) {
            throw new ApiException.BadRequest("previous terminated container \"" + container + "\" in pod \""
                    + pod.getMetadata().getName() + "\" not found");
        }
        for (int i = 1; i <= 3; i++) {
            out.write((container + " line " + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (!options.follow()) {
            return;
        }
        following.incrementAndGet();
        try {
            while (true) {
                String line;
                try {
                    line = followLines.poll(TICK.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (line == null) {
                    out.flush(); // a tick without new lines, as the kubelet's follower flushes
                    continue;
                }
                if (line.equals(END)) {
                    return;
                }
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } finally {
            following.decrementAndGet();
        }
    }

    @Override
    public int exec(Pod pod, String container, List<String> command, InputStream stdin, OutputStream stdout,
            OutputStream stderr, boolean tty) throws IOException {
        lastContainer = container;
        lastStdinPresent = stdin != null;
        switch (command.getFirst()) {
            case "echo" -> {
                stdout.write((String.join(" ", command.subList(1, command.size())) + "\n").getBytes(StandardCharsets.UTF_8));
                return 0;
            }
            case "fail" -> {
                stderr.write("oops\n".getBytes(StandardCharsets.UTF_8));
                return Integer.parseInt(command.get(1));
            }
            case "cat" -> {
                stdin.transferTo(stdout);
                return 0;
            }
            default -> throw new ApiException.BadRequest("unknown command " + command.getFirst());
        }
    }

    /** {@code size}: prints the first terminal size the client reports; everything else as without sizes. */
    @Override
    public int exec(Pod pod, String container, List<String> command, InputStream stdin, OutputStream stdout,
            OutputStream stderr, boolean tty, io.podvisor.core.TerminalSizes sizes) throws IOException {
        if (command.getFirst().equals("size")) {
            stdout.write((firstSize(sizes) + (tty ? " tty" : "") + "\n").getBytes(StandardCharsets.UTF_8));
            return 0;
        }
        return exec(pod, container, command, stdin, stdout, stderr, tty);
    }

    /** Prints the first terminal size, then copies stdin to stdout. */
    @Override
    public void attach(Pod pod, String container, InputStream stdin, OutputStream stdout, OutputStream stderr,
            io.podvisor.core.TerminalSizes sizes) throws IOException {
        lastContainer = container;
        stdout.write(("attached " + firstSize(sizes) + "\n").getBytes(StandardCharsets.UTF_8));
        if (stdin != null) {
            stdin.transferTo(stdout);
        }
    }

    private static String firstSize(io.podvisor.core.TerminalSizes sizes) throws IOException {
        var first = new java.util.concurrent.CompletableFuture<io.podvisor.core.TerminalSizes.Size>();
        sizes.onResize(first::complete);
        try {
            var size = first.get(20, java.util.concurrent.TimeUnit.SECONDS);
            return size.width() + "x" + size.height();
        } catch (Exception e) {
            throw new IOException("no terminal size came", e);
        }
    }
}
