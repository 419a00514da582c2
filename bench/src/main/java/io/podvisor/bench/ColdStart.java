package io.podvisor.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Cold start: {@code ./podvisor server} (the launcher, as users run it, on the fake runtime) from
 * process start to {@code /readyz} answering ok, on a fresh data directory (the first start mints
 * the CA, certificates and token) and on a kept one (a restart). Baseline in the same run: a JVM
 * hello world started the same way (same JDK and flags as the launcher), from start to exit.
 *
 * <p>{@code bench/run cold-start [--runs N]} (default 10, after one unmeasured warm-up of each).
 */
final class ColdStart {

    private ColdStart() {}

    static int run(String[] args) throws Exception {
        int runs = Args.integer(args, "--runs", 10);
        Path root = Args.root();
        Path launcher = root.resolve("podvisor");
        if (!Files.isExecutable(launcher)) {
            System.err.println("cold-start: no launcher at " + launcher + " (run through bench/run)");
            return 2;
        }
        run(List.of(launcher.toString(), "version"), null); // builds if needed
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> hello = List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", ColdStart.class.getProtectionDomain().getCodeSource().getLocation().getPath(), Hello.class.getName());

        Stats fresh = new Stats();
        Stats kept = new Stats();
        Stats baseline = new Stats();
        Path keptDir = Files.createTempDirectory("bench-cold-kept-");
        for (int i = -1; i < runs; i++) { // i = -1: warm-up, not counted
            Path freshDir = Files.createTempDirectory("bench-cold-");
            Files.delete(freshDir);
            double f = serverReady(freshDir);
            double k = serverReady(keptDir);
            double b = run(hello, null);
            if (i >= 0) {
                fresh.add(f);
                kept.add(k);
                baseline.add(b);
            }
            io.podvisor.core.FileTrees.delete(freshDir);
        }
        io.podvisor.core.FileTrees.delete(keptDir);

        new Report("cold start: ./podvisor server (fake runtime) from process start to /readyz ok")
                .row("first start (fresh data dir)", fresh.median(), baseline.median(), "ms", "<= 1000 ms median", fresh.median() <= 1000)
                .row("restart (kept data dir)", kept.median(), baseline.median(), "ms", "<= 1000 ms median", kept.median() <= 1000)
                .note("podvisor first start: " + fresh.summary("ms"))
                .note("podvisor restart:     " + kept.summary("ms"))
                .note("baseline, JVM hello world to exit: " + baseline.summary("ms"))
                .note("java: " + java + (Files.exists(root.resolve("cli/target/podvisor.aot")) ? "; launcher uses its AOT cache" : ""))
                .print(System.out);
        return 0;
    }

    /** The client asking {@code /readyz}, made once so that its own set-up is not timed. */
    private static HttpClient http;

    /** Milliseconds from starting the launcher to {@code /readyz} ok; then stops the server. */
    private static double serverReady(Path dataDir) throws Exception {
        if (http == null) {
            http = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(5)).build();
        }
        long t0 = System.nanoTime();
        Process p = ServerProcess.start(dataDir, "--runtime", "fake");
        try {
            int port = ServerProcess.port(p);
            HttpRequest ready = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/readyz")).build();
            while (!http.send(ready, HttpResponse.BodyHandlers.ofString()).body().equals("ok")) {
                Thread.onSpinWait();
            }
            return (System.nanoTime() - t0) / 1e6;
        } finally {
            ServerProcess.stop(p, Duration.ofSeconds(30));
        }
    }

    /** Milliseconds from start to exit of {@code cmd}. */
    private static double run(List<String> cmd, Path dir) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue());
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The node's certificate is self-signed; the benchmark only times the answer. */
    static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }
}
