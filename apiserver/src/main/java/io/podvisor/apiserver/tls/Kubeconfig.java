package io.podvisor.apiserver.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Writes {@code <dataDir>/kubeconfig} (mode 0600): cluster {@code podvisor} trusting the CA,
 * a user with the bearer token, and the current context {@code podvisor} in namespace
 * {@code default}.
 */
public final class Kubeconfig {

    private Kubeconfig() {}

    /** The kubeconfig text for {@code serverUrl}. */
    public static String render(String serverUrl, String caPem, String token) {
        String caData = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: podvisor
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: podvisor
                  user:
                    token: %s
                contexts:
                - name: podvisor
                  context:
                    cluster: podvisor
                    user: podvisor
                    namespace: default
                current-context: podvisor
                preferences: {}
                """.formatted(serverUrl, caData, token);
    }

    /** Writes the kubeconfig and returns its path. */
    public static Path write(Path dataDir, String serverUrl, String caPem, String token) throws IOException {
        Path file = dataDir.resolve("kubeconfig");
        SecretFiles.writePrivate(file, render(serverUrl, caPem, token));
        return file;
    }

    /**
     * The URL clients use: {@code https://127.0.0.1:PORT} for a loopback or wildcard bind address,
     * else the bind address itself.
     */
    public static String serverUrl(String bindAddress, int port) {
        String host = bindAddress;
        if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")
                || host.equals("127.0.0.1") || host.equals("localhost")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "https://" + host + ":" + port;
    }
}
