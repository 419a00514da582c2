package io.podvisor.cli.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A child process's output read line by line until a line says what the test waits for. */
final class ChildLines {

    private ChildLines() {}

    /**
     * The lines {@code child} printed up to and including the first that matches {@code last}, or
     * all of them if its output ends first (a read error is added as {@code <message>}). The rest of
     * its output is drained on, so a full pipe never stops the child.
     */
    static List<String> until(Process child, Predicate<String> last, Duration limit) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<List<String>> lines = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            List<String> seen = new ArrayList<>();
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (!lines.isDone()) {
                        seen.add(line);
                        if (last.test(line)) {
                            lines.complete(List.copyOf(seen));
                        }
                    }
                }
            } catch (IOException e) {
                seen.add("<" + e.getMessage() + ">");
            }
            lines.complete(seen);
        });
        return lines.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    }
}
