package io.podvisor.runtime.testing;

import static org.awaitility.Awaitility.await;

import io.podvisor.core.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real distribution registry ({@code docker-registry serve}) on {@code 127.0.0.1} and a free port, with
 * its storage in a temporary directory, filled by {@code skopeo copy} from layouts {@link OciLayoutBuilder}
 * builds. No authentication, plain HTTP. {@link #close()} stops it and deletes its directory.
 *
 * <pre>
 * try (LocalRegistry registry = LocalRegistry.start()) {
 *     registry.push(new OciLayoutBuilder().layer(...).build(), "test/app:1");
 *     ... pull registry.host() + "/test/app:1" ...
 * }
 * </pre>
 */
public final class LocalRegistry implements AutoCloseable {

    /** The registry binary Debian's {@code docker-registry} package installs. */
    public static final Path DOCKER_REGISTRY = Path.of("/usr/bin/docker-registry");
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Path dir;
    private final int port;
    private final Process process;

    private LocalRegistry(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** True when {@code docker-registry} and {@code skopeo} are installed. */
    public static boolean available() {
        return Files.isExecutable(DOCKER_REGISTRY) && onPath("skopeo");
    }

    /** Starts a registry and waits until {@code GET /v2/} answers. */
    public static LocalRegistry start() throws IOException {
        Path dir = Files.createTempDirectory("podvisor-registry-");
        try {
            for (int attempt = 0; ; attempt++) {
                int port = freePort();
                Path config = dir.resolve("config.yml");
                Files.writeString(config, """
                        version: 0.1
                        log:
                          level: warn
                        storage:
                          filesystem:
                            rootdirectory: %s
                        http:
                          addr: 127.0.0.1:%d
                          secret: podvisor-test
                        """.formatted(dir.resolve("data"), port));
                Process process = new ProcessBuilder(DOCKER_REGISTRY.toString(), "serve", config.toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
                LocalRegistry registry = new LocalRegistry(dir, port, process);
                boolean ready;
                try {
                    ready = registry.awaitReady();
                } catch (RuntimeException e) {
                    process.destroyForcibly();
                    throw e;
                }
                if (ready) {
                    return registry;
                }
                if (attempt == 2) {
                    throw new IOException("docker-registry did not start: " + registry.log());
                }
            }
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(dir);
            throw e;
        }
    }

    /** True once the registry answers; false if it exited first (the port was taken meanwhile). */
    private boolean awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/"))
                .timeout(Duration.ofSeconds(2)).build();
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!process.isAlive()) {
                return true;
            }
            try {
                return http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return process.isAlive();
    }

    /** {@code 127.0.0.1:<port>}: the domain of references to this registry. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /**
     * Pushes {@code image} as {@code repoTag} ({@code repo/path:tag}, without the host) with
     * {@code skopeo copy}, every platform of an index and the digests as built.
     */
    public void push(BuiltLayout image, String repoTag) throws IOException, InterruptedException {
        Path layout = Files.createTempDirectory(dir, "layout-");
        image.writeLayout(layout);
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy",
                "--tmpdir", Files.createDirectories(dir.resolve("tmp")).toString(), "copy", "--quiet",
                "--dest-tls-verify=false", "--dest-no-creds", "--preserve-digests"));
        if (image.images().size() > 1 || image.mediaType().equals(OciLayoutBuilder.OCI_INDEX)
                || image.mediaType().equals(OciLayoutBuilder.DOCKER_MANIFEST_LIST)) {
            command.add("--all");
        }
        command.add("oci:" + layout);
        command.add("docker://" + host() + "/" + repoTag);
        Process skopeo = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(skopeo.getInputStream().readAllBytes());
        if (!skopeo.waitFor(2, TimeUnit.MINUTES) || skopeo.exitValue() != 0) {
            skopeo.destroyForcibly();
            throw new IOException("skopeo copy to " + repoTag + " failed: " + output);
        }
        FileTrees.delete(layout);
    }

    /** The file the registry keeps blob {@code digest} in (tests tamper with it). */
    public Path blobFile(String digest) {
        String hex = digest.substring(digest.indexOf(':') + 1);
        return dir.resolve("data/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex)
                .resolve("data");
    }

    /** The registry's access log lines of {@code GET} requests whose line contains {@code fragment}. */
    public List<String> requests(String fragment) {
        return log().lines().filter(l -> l.contains("\"GET ") && l.contains(fragment)).toList();
    }

    /** Everything the registry printed so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("registry.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        FileTrees.delete(dir);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
