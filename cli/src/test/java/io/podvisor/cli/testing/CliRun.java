package io.podvisor.cli.testing;

import io.podvisor.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Runs the CLI ({@code podvisor ARGS}) in this JVM with its standard output and error captured. */
public final class CliRun {

    /** What one run printed and returned, and how long it took. */
    public record Output(int code, String out, String err, Duration took) {}

    private CliRun() {}

    /** Runs {@code podvisor args…}; not for concurrent use (it swaps {@code System.out} and {@code System.err}). */
    public static Output run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        long started = System.nanoTime();
        int code;
        try {
            code = Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                Duration.ofNanos(System.nanoTime() - started));
    }
}
