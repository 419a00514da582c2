package io.podvisor.cli.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the installed {@code kubectl} against a server's kubeconfig, with a private HOME so every
 * run starts from the same (cold, then warm) discovery cache and never touches the user's.
 */
final class Kubectl {

    /** The outcome of one kubectl run. */
    record Result(int exitCode, String out, String err) {
        Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("kubectl exited " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err);
            }
            return this;
        }
    }

    private final Path kubeconfig;
    private final Path home;

    Kubectl(Path kubeconfig, Path home) {
        this.kubeconfig = kubeconfig;
        this.home = home;
    }

    Result run(String... args) {
        return run(null, 60, args);
    }

    /** Runs with {@code stdin} (may be null) and a deadline in seconds; a run past it fails the test. */
    Result run(String stdin, long timeoutSeconds, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("kubectl");
        cmd.add("--kubeconfig=" + kubeconfig);
        cmd.addAll(List.of(args));
        try {
            Files.createDirectories(home);
            ProcessBuilder pb = new ProcessBuilder(cmd);
            Map<String, String> env = pb.environment();
            env.put("HOME", home.toString());
            env.remove("KUBECONFIG");
            Process p = pb.start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in " + timeoutSeconds
                        + " s\nstdout so far:\n" + out.getNow("") + "\nstderr:\n" + err.getNow(""));
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new AssertionError("cannot run kubectl (is it installed and on PATH?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts kubectl in the background (for {@code -w} and {@code logs -f}); the caller destroys it. */
    Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("kubectl");
        cmd.add("--kubeconfig=" + kubeconfig);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("KUBECONFIG");
        return pb.start();
    }

    /**
     * Starts kubectl on a pseudo-terminal of its own (util-linux {@code script}), after the shell
     * commands {@code before} ran on that terminal (e.g. {@code stty rows 33 cols 101}): what is
     * written to the process's stdin is typed, its stdout is what the terminal shows. The caller
     * destroys it.
     */
    Process startInTerminal(String before, String... args) throws IOException {
        StringBuilder cmd = new StringBuilder(before).append("; exec kubectl --kubeconfig=").append(quote(kubeconfig.toString()));
        for (String a : args) {
            cmd.append(' ').append(quote(a));
        }
        ProcessBuilder pb = new ProcessBuilder("script", "-qfec", cmd.toString(), "/dev/null").redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("TERM", "xterm");
        pb.environment().remove("KUBECONFIG");
        return pb.start();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "<read failed: " + e.getMessage() + ">";
            }
        });
    }
}
