package io.podvisor.client.https;

import com.fasterxml.jackson.databind.JsonNode;
import io.podvisor.api.Yaml;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * What a client needs from a kubeconfig file: the current context's server, how to trust it and
 * how to authenticate. Read as kubectl reads it: {@code *-data} fields are base64, file fields
 * are relative to the kubeconfig's directory, a context's namespace defaults to {@code default}.
 * Exec plugins and auth providers are not supported (refused with a message naming them).
 *
 * <p>{@link #toString()} never shows the token or the client key.
 *
 * @param caPem the CA bundle to trust, or null for the JDK's default trust
 * @param token a bearer token, or null
 * @param tokenFile a file holding the bearer token (read at each request, so a rotated token is
 *     used), or null
 * @param clientCertPem the client certificate chain, or null
 * @param clientKeyPem the client certificate's private key, or null
 */
public record Kubeconfig(URI server, String caPem, boolean insecureSkipTlsVerify, String token, Path tokenFile,
        String clientCertPem, String clientKeyPem, String namespace) {

    public Kubeconfig {
        if (server == null || !"https".equals(server.getScheme())) {
            throw new IllegalArgumentException("the server must be an https URL, not " + server);
        }
        namespace = namespace == null || namespace.isEmpty() ? "default" : namespace;
    }

    /** A kubeconfig trusting {@code caPem} with a bearer token. */
    public static Kubeconfig ofToken(URI server, String caPem, String token) {
        return new Kubeconfig(server, caPem, false, token, null, null, null, "default");
    }

    /** Reads the current context of {@code file}. */
    public static Kubeconfig load(Path file) throws IOException {
        return load(file, null);
    }

    /**
     * Reads the context {@code contextName} of {@code file} (null: its {@code current-context}).
     *
     * @throws IOException when the file cannot be read, or names something it does not hold
     */
    public static Kubeconfig load(Path file, String contextName) throws IOException {
        JsonNode root = Yaml.newYamlMapper().readTree(Files.readString(file));
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": not a kubeconfig");
        }
        Path dir = file.toAbsolutePath().getParent();
        String ctxName = contextName != null ? contextName : root.path("current-context").asText("");
        if (ctxName.isEmpty()) {
            throw new IOException(file + ": no current-context");
        }
        JsonNode ctx = named(root, "contexts", ctxName, "context", file);
        JsonNode cluster = named(root, "clusters", ctx.path("cluster").asText(""), "cluster", file);
        String userName = ctx.path("user").asText("");
        JsonNode user = userName.isEmpty() ? null : named(root, "users", userName, "user", file);
        String server = cluster.path("server").asText("");
        if (server.isEmpty()) {
            throw new IOException(file + ": cluster \"" + ctx.path("cluster").asText() + "\" has no server");
        }
        String ca = material(cluster, "certificate-authority-data", "certificate-authority", dir);
        boolean insecure = cluster.path("insecure-skip-tls-verify").asBoolean(false);
        String token = null;
        Path tokenFile = null;
        String cert = null;
        String key = null;
        if (user != null) {
            for (String unsupported : new String[] {"exec", "auth-provider", "username"}) {
                if (user.hasNonNull(unsupported)) {
                    throw new IOException(file + ": user \"" + userName + "\" authenticates with " + unsupported
                            + ", which this client does not support (use a token or a client certificate)");
                }
            }
            token = user.hasNonNull("token") ? user.get("token").asText() : null;
            tokenFile = user.hasNonNull("tokenFile") ? dir.resolve(user.get("tokenFile").asText()) : null;
            cert = material(user, "client-certificate-data", "client-certificate", dir);
            key = material(user, "client-key-data", "client-key", dir);
        }
        return new Kubeconfig(URI.create(server), ca, insecure, token, tokenFile, cert, key,
                ctx.path("namespace").asText(""));
    }

    /** The bearer token for the next request: the file's current content when one is named. */
    String bearerToken() throws IOException {
        if (tokenFile != null) {
            return Files.readString(tokenFile).trim();
        }
        return token;
    }

    private static JsonNode named(JsonNode root, String list, String name, String field, Path file) throws IOException {
        for (JsonNode entry : root.path(list)) {
            if (name.equals(entry.path("name").asText())) {
                return entry.path(field);
            }
        }
        throw new IOException(file + ": no " + field + " named \"" + name + "\"");
    }

    private static String material(JsonNode node, String dataField, String fileField, Path dir) throws IOException {
        if (node.hasNonNull(dataField)) {
            return new String(Base64.getMimeDecoder().decode(node.get(dataField).asText()), StandardCharsets.UTF_8);
        }
        if (node.hasNonNull(fileField)) {
            return Files.readString(dir.resolve(node.get(fileField).asText()));
        }
        return null;
    }

    @Override
    public String toString() {
        return "Kubeconfig[server=" + server + ", namespace=" + namespace
                + ", auth=" + (token != null || tokenFile != null ? "token" : clientCertPem != null ? "client certificate" : "none")
                + (insecureSkipTlsVerify ? ", insecure" : "") + "]";
    }
}
