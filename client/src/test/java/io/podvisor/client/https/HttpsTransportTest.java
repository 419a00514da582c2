package io.podvisor.client.https;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.podvisor.api.client.ObjectClient.Subscription;
import io.podvisor.api.errors.ApiException;
import io.podvisor.apiserver.tls.CertificateMinter;
import io.podvisor.client.contract.ObjectClientContract.Recorder;
import io.podvisor.client.https.ScriptedServer.Reply;
import io.podvisor.core.SystemClock;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the HTTPS transport has: retries, watch streams that end or carry bookmarks, closing
 * a stream, client certificates, kubeconfig files and keeping the token out of messages. Against
 * a scripted HTTPS server, with back-off of a millisecond.
 */
class HttpsTransportTest {

    private static final String TOKEN = "s3cret-token-value";
    private static final ApiConnection.Options FAST = new ApiConnection.Options(Duration.ofSeconds(2),
            Duration.ofSeconds(10), 4, Duration.ofMillis(1), Duration.ofMillis(4));
    private static final String CM = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\","
            + "\"namespace\":\"default\",\"resourceVersion\":\"7\"},\"data\":{\"v\":\"1\"}}";

    private final SystemClock clock = new SystemClock();
    private ScriptedServer server;
    private HttpsObjectClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        clock.close();
    }

    private HttpsObjectClient connect(boolean clientCertificate) throws Exception {
        server = new ScriptedServer(clientCertificate);
        client = new HttpsObjectClient(Kubeconfig.ofToken(server.url(), server.caPem(), TOKEN), clock, FAST);
        return client;
    }

    private static String status(int code, String reason, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                + message + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    }

    @Test
    void idempotentRequestsAreRetriedOn5xxAnd429() throws Exception {
        connect(false);
        server.replies.add(Reply.json(503, status(503, "ServiceUnavailable", "busy")));
        server.replies.add(Reply.json(429, status(429, "TooManyRequests", "slow down"), "Retry-After: 0"));
        server.replies.add(Reply.json(200, CM));

        ConfigMap cm = client.get(ConfigMap.class, "default", "a");

        assertThat(cm.getData()).containsEntry("v", "1");
        assertThat(server.seen()).extracting(ScriptedServer.Seen::uri)
                .containsOnly("/api/v1/namespaces/default/configmaps/a").hasSize(3);
        assertThat(server.seen()).extracting(ScriptedServer.Seen::authorization).containsOnly("Bearer " + TOKEN);
    }

    @Test
    void aCreateIsNotRepeatedAfterA5xxButIsAfterA429() throws Exception {
        connect(false);
        server.replies.add(Reply.json(500, status(500, "InternalError", "boom")));

        assertThatThrownBy(() -> client.create(configMap())).isInstanceOfSatisfying(ApiException.Internal.class,
                e -> assertThat(e.getMessage()).isEqualTo("boom"));
        assertThat(server.seen()).hasSize(1);

        server.replies.add(Reply.json(429, status(429, "TooManyRequests", "slow down")));
        server.replies.add(Reply.json(201, CM));
        assertThat(client.create(configMap()).getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(server.seen()).hasSize(3);
    }

    @Test
    void retriesEndWithTheLastRefusal() throws Exception {
        connect(false);
        for (int i = 0; i < FAST.attempts(); i++) {
            server.replies.add(Reply.json(503, status(503, "ServiceUnavailable", "still busy")));
        }

        assertThatThrownBy(() -> client.list(ConfigMap.class, "default", null, null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(503);
                    assertThat(e.getMessage()).isEqualTo("still busy");
                });
        assertThat(server.seen()).hasSize(FAST.attempts());
    }

    @Test
    void anUnreachableServerIsServiceUnavailableWithoutTheToken() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = new ScriptedServer(false);
        client = new HttpsObjectClient(Kubeconfig.ofToken(URI.create("https://127.0.0.1:" + port), server.caPem(), TOKEN),
                clock, FAST);

        assertThatThrownBy(() -> client.get(ConfigMap.class, "default", "a"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("127.0.0.1:" + port).doesNotContain(TOKEN);
                });
    }

    @Test
    void aWatchResumesFromItsLastBookmarkAndEndsWithGone() throws Exception {
        connect(false);
        server.replies.add(Reply.stream(null,
                "{\"type\":\"ADDED\",\"object\":" + CM.replace("\"7\"", "\"8\"") + "}",
                "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"12\"}}}"));
        server.replies.add(Reply.json(503, status(503, "ServiceUnavailable", "restarting")));
        server.replies.add(Reply.stream(null,
                "{\"type\":\"MODIFIED\",\"object\":" + CM.replace("\"7\"", "\"13\"") + "}",
                "{\"type\":\"ERROR\",\"object\":" + status(410, "Expired", "too old resource version: 13 (20)") + "}"));
        Recorder<ConfigMap> events = new Recorder<>();
        List<String> bookmarks = new java.util.concurrent.CopyOnWriteArrayList<>();

        client.watchFrom(ConfigMap.class, "default", "app=web", null, "7", new io.podvisor.api.client.ObjectClient.WatchHandler<>() {
            @Override
            public void onEvent(String type, ConfigMap object) {
                if (type.equals("BOOKMARK")) {
                    bookmarks.add(object.getMetadata().getResourceVersion());
                }
                events.onEvent(type, object);
            }

            @Override
            public void onClosed(RuntimeException cause) {
                events.onClosed(cause);
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> events.closedBy() != null);
        assertThat(events.lines()).containsExactly("ADDED a 8", "MODIFIED a 13");
        assertThat(bookmarks).containsExactly("12");
        assertThat(events.closedBy()).isInstanceOf(ApiException.Gone.class).hasMessage("too old resource version: 13 (20)");
        List<String> uris = server.seen().stream().map(ScriptedServer.Seen::uri).toList();
        assertThat(uris).hasSize(3);
        assertThat(uris.get(0)).contains("watch=true", "allowWatchBookmarks=true", "resourceVersion=7",
                "labelSelector=app%3Dweb");
        assertThat(uris.get(1)).contains("resourceVersion=12");
        assertThat(uris.get(2)).contains("resourceVersion=12");
    }

    @Test
    void aFailingHandlerMissesNothingAndAnUndecodableEventEndsTheWatch() throws Exception {
        connect(false);
        server.replies.add(Reply.stream(null,
                "{\"type\":\"ADDED\",\"object\":" + CM.replace("\"7\"", "\"8\"") + "}",
                "{\"type\":\"MODIFIED\",\"object\":" + CM.replace("\"7\"", "\"9\"") + "}",
                "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":\"not an object\"}}"));
        Recorder<ConfigMap> events = new Recorder<>();

        client.watchFrom(ConfigMap.class, "default", null, null, "7", new io.podvisor.api.client.ObjectClient.WatchHandler<>() {
            @Override
            public void onEvent(String type, ConfigMap object) {
                events.onEvent(type, object);
                if (type.equals("ADDED")) {
                    throw new IllegalStateException("handler bug");
                }
            }

            @Override
            public void onClosed(RuntimeException cause) {
                events.onClosed(cause);
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> events.closedBy() != null);
        assertThat(events.lines()).containsExactly("ADDED a 8", "MODIFIED a 9");
        assertThat(events.closedBy()).isInstanceOf(ApiException.Internal.class)
                .hasMessageStartingWith("cannot decode a watch event of configmaps");
        assertThat(server.seen()).hasSize(1);
    }

    @Test
    void aRefusedWatchIsThrownByWatchFrom() throws Exception {
        connect(false);
        server.replies.add(Reply.json(403, status(403, "Forbidden", "configmaps is forbidden")));

        assertThatThrownBy(() -> client.watchFrom(ConfigMap.class, "default", null, null, "7", new Recorder<>()))
                .isInstanceOf(ApiException.Forbidden.class).hasMessage("configmaps is forbidden");
    }

    @Test
    void closingAWatchEndsItsStreamAndThread() throws Exception {
        connect(false);
        CountDownLatch hold = new CountDownLatch(1);
        server.replies.add(Reply.stream(hold, "{\"type\":\"ADDED\",\"object\":" + CM + "}"));
        Recorder<ConfigMap> events = new Recorder<>();
        Subscription sub = client.watchFrom(ConfigMap.class, "default", null, null, "6", events);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.lines().size() == 1);

        sub.close();

        try {
            assertThat(((HttpsWatch<?>) sub).awaitStopped(Duration.ofSeconds(5))).isTrue();
            assertThat(events.closedBy()).isNull();
            assertThat(server.seen()).hasSize(1);
        } finally {
            hold.countDown();
        }
    }

    @Test
    void aClientCertificateFromAKubeconfigFileAuthenticates(@TempDir Path dir) throws Exception {
        server = new ScriptedServer(true);
        KeyPair keys = CertificateMinter.newKeyPair();
        Files.writeString(dir.resolve("client.crt"), server.clientCertificate(keys, "node-1"));
        Files.writeString(dir.resolve("client.key"), sec1(keys));
        Path file = dir.resolve("config");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: u
                  user:
                    client-certificate: client.crt
                    client-key: client.key
                contexts:
                - name: x
                  context: {cluster: c, user: u, namespace: team}
                current-context: x
                """.formatted(server.url(), Base64.getEncoder().encodeToString(server.caPem().getBytes())));
        Kubeconfig config = Kubeconfig.load(file);
        client = new HttpsObjectClient(config, clock, FAST);
        server.replies.add(Reply.json(200, CM));

        assertThat(client.get(ConfigMap.class, "default", "a")).isNotNull();
        assertThat(server.seen().getFirst().clientSubject()).isEqualTo("CN=node-1");
        assertThat(server.seen().getFirst().authorization()).isNull();
        assertThat(config.namespace()).isEqualTo("team");
        assertThat(config.toString()).contains("client certificate").doesNotContain("PRIVATE KEY");
    }

    @Test
    void aKubeconfigTokenFileIsReadAtEachRequestAndNeverShown(@TempDir Path dir) throws Exception {
        server = new ScriptedServer(false);
        Files.writeString(dir.resolve("token"), "first-token\n");
        Path file = dir.resolve("config");
        Files.writeString(file, """
                apiVersion: v1
                clusters:
                - name: c
                  cluster: {server: "%s", certificate-authority-data: %s}
                users:
                - name: u
                  user: {tokenFile: token}
                contexts:
                - name: x
                  context: {cluster: c, user: u}
                current-context: x
                """.formatted(server.url(), Base64.getEncoder().encodeToString(server.caPem().getBytes())));
        Kubeconfig config = Kubeconfig.load(file);
        client = new HttpsObjectClient(config, clock, FAST);
        server.replies.add(Reply.json(200, CM));
        server.replies.add(Reply.json(200, CM));

        client.get(ConfigMap.class, "default", "a");
        Files.writeString(dir.resolve("token"), "rotated-token\n");
        client.get(ConfigMap.class, "default", "a");

        assertThat(server.seen()).extracting(ScriptedServer.Seen::authorization)
                .containsExactly("Bearer first-token", "Bearer rotated-token");
        assertThat(config.namespace()).isEqualTo("default");
        assertThat(config.toString()).contains("auth=token").doesNotContain("token\"").doesNotContain("first-token");
        assertThat(Kubeconfig.ofToken(server.url(), null, TOKEN).toString()).doesNotContain(TOKEN);
    }

    @Test
    void aKubeconfigWithAnExecPluginIsRefusedByName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, """
                clusters: [{name: c, cluster: {server: "https://example.invalid"}}]
                users: [{name: u, user: {exec: {command: aws}}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """);

        assertThatThrownBy(() -> Kubeconfig.load(file)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("user \"u\" authenticates with exec, which this client does not support");
    }

    /**
     * The key as OpenSSL's traditional EC form ({@code EC PRIVATE KEY}, SEC 1 with the curve inside),
     * as kubeadm and kind write client keys.
     */
    private static String sec1(KeyPair keys) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        byte[] der = new ECPrivateKey(256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters()).getEncoded();
        return "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END EC PRIVATE KEY-----\n";
    }

    private static ConfigMap configMap() {
        return new ConfigMapBuilder().withNewMetadata().withNamespace("default").withName("a").endMetadata()
                .withData(Map.of("v", "1")).build();
    }

}
