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

/**
 * Scripted logs and exec. Logs: {@code line 1..3} for the container, then with {@code follow}
 * every line the test {@link #followLines offers} until {@code null}-marker {@link #END}.
 * Exec: {@code echo args…} writes to stdout; {@code fail N} writes to stderr and exits N;
 * {@code cat} copies stdin to stdout until EOF.
 */
final class FakeContainerStreams implements ContainerStreams {

    static final String END = "\u0000end";

    final BlockingQueue<String> followLines = new LinkedBlockingQueue<>();
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
        while (true) {
            String line;
            try {
                line = followLines.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (line.equals(END)) {
                return;
            }
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
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
}
