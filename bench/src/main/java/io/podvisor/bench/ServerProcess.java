package io.podvisor.bench;

import io.podvisor.runtime.io.PipeReaders;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ./podvisor server} as its own process, as users start it: started, its port read, stopped. */
final class ServerProcess {

    private static final Pattern SERVING = Pattern.compile("serving https://127\\.0\\.0\\.1:(\\d+)");

    private ServerProcess() {}

    /** Starts {@code ./podvisor server --data-dir DATA --port 0 EXTRA…} (no package installs). */
    static Process start(Path dataDir, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Args.root().resolve("podvisor").toString(), "server",
                "--data-dir", dataDir.toString(), "--port", "0"));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PODVISOR_NO_INSTALL", "1");
        return pb.start();
    }

    /** The port the server says it serves on; its later output is read and dropped. */
    static int port(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher m = SERVING.matcher(line);
            if (m.find()) {
                PipeReaders.start("server-output", () -> drain(out));
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IOException("the server ended before it served");
    }

    /** Asks the server to stop (it removes what it made) and waits up to {@code grace} before killing it. */
    static void stop(Process server, Duration grace) throws InterruptedException {
        server.destroy();
        if (!server.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            server.destroyForcibly();
        }
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // not needed
            }
        } catch (IOException e) {
            // the server ended
        }
    }
}
