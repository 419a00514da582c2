package io.podvisor.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.apiserver.http.ApiServer;
import io.podvisor.apiserver.registry.Registries;
import io.podvisor.apiserver.registry.Registry;
import io.podvisor.cli.server.NodeServer;
import io.podvisor.cli.testing.NodeHttp;
import io.podvisor.core.SystemClock;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import io.podvisor.runtime.fake.FakeRuntime;
import io.podvisor.store.MemoryStore;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The node's log: in the data dir's file, klog-style, at the asked verbosity, every 5xx with its cause, no secret. */
class NodeLogTest {

    @TempDir
    Path data;

    @AfterEach
    void backToQuiet() {
        NodeLog.reset();
    }

    @Test
    void linesOfSlf4jAndSystemLoggerReachThePrivateFileAtTheirVerbosity() throws IOException {
        NodeLog.configure(data, 0, Level.OFF);
        LoggerFactory.getLogger("io.podvisor.test.Slf4jSide").info("important {}", "news");
        LoggerFactory.getLogger("io.podvisor.test.Slf4jSide").debug("detail at v=4");
        System.getLogger("io.podvisor.test.JdkSide").log(System.Logger.Level.WARNING, "from System.Logger");
        LoggerFactory.getLogger("org.eclipse.jetty.Some").info("library information at v=2");

        String log = Files.readString(NodeLog.file(data));
        assertThat(log).containsPattern("(?m)^I\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} \\S+ Slf4jSide\\] important news$")
                .containsPattern("(?m)^W\\d{4} .* JdkSide\\] from System.Logger$")
                .doesNotContain("detail at v=4", "library information");
        assertThat(mode(NodeLog.file(data))).isEqualTo("rw-------");
        assertThat(mode(NodeLog.file(data).getParent())).isEqualTo("rwx------");

        NodeLog.configure(data, 4, Level.OFF);
        LoggerFactory.getLogger("io.podvisor.test.Slf4jSide").debug("detail at v=4");
        LoggerFactory.getLogger("org.eclipse.jetty.Some").info("library information at v=2");
        assertThat(Files.readString(NodeLog.file(data))).containsPattern("(?m)^D.* Slf4jSide\\] detail at v=4$")
                .contains("library information at v=2");
    }

    @Test
    void registeredSecretsAndBearerTokensAreMasked() throws IOException {
        NodeLog.configure(data, 0, Level.OFF);
        String token = "0123456789abcdef".repeat(4);
        Redaction.add(token);

        LoggerFactory.getLogger("io.podvisor.test").warn("token {} and Authorization: Bearer some-other-token",
                token, new IllegalStateException("failed with " + token));

        assertThat(Files.readString(NodeLog.file(data))).doesNotContain(token, "some-other-token")
                .contains("token [redacted] and Authorization: Bearer [redacted]", "IllegalStateException: failed with [redacted]");
    }

    /** A request the server fails on is answered 500 and logged with its verb, path (no query) and cause. */
    @Test
    void aServerErrorIsLoggedWithTheRequestAndItsCause() throws Exception {
        NodeLog.configure(data, 0, Level.OFF);
        SystemClock clock = new SystemClock();
        VirtualThreadKeyedExecutor executor = new VirtualThreadKeyedExecutor();
        Registries registries = new Registries(new MemoryStore(executor), clock, executor);
        Registry failing = (Registry) Proxy.newProxyInstance(Registry.class.getClassLoader(), new Class<?>[] {Registry.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("get") && "boom".equals(args[2])) {
                        throw new IllegalStateException("the disk is on fire");
                    }
                    try {
                        return method.invoke(registries, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ContainerStreams noStreams = (ContainerStreams) Proxy.newProxyInstance(ContainerStreams.class.getClassLoader(),
                new Class<?>[] {ContainerStreams.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException();
                });
        ApiServer api = new ApiServer(new ApiServer.Config(data, 0, "127.0.0.1", "log-node"), failing, noStreams, clock);
        try {
            int port = api.start();
            HttpResponse<String> r = NodeHttp.trustingServerCa(data).send(HttpRequest.newBuilder(
                            URI.create("https://127.0.0.1:" + port + "/api/v1/namespaces/default/configmaps/boom?labelSelector=x%3Dy"))
                    .header("Authorization", "Bearer " + api.token()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(500);
        } finally {
            api.stop();
            registries.close();
            clock.close();
        }

        String log = Files.readString(NodeLog.file(data));
        assertThat(log).containsPattern("(?m)^E.* ApiHandler\\] GET /api/v1/namespaces/default/configmaps/boom answered 500: "
                        + "java.lang.IllegalStateException: the disk is on fire$")
                .containsPattern("(?m)^\\s+at .*NodeLogTest")
                .doesNotContain("labelSelector");
    }

    /** At the highest verbosity a node's log holds neither its token nor a Secret's data, encoded or not. */
    @Test
    void neitherTheTokenNorSecretDataIsLoggedAtVerbosity6() throws Exception {
        NodeLog.configure(data, 6, Level.OFF);
        String secret = "hunter2-correct-horse-battery";
        String encoded = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        SystemClock clock = new SystemClock();
        NodeServer server = NodeServer.start(new NodeServer.Options(data, 0, "127.0.0.1", "log-node", null), clock,
                new VirtualThreadKeyedExecutor(), new FakeRuntime(clock));
        String token;
        try {
            token = Files.readString(data.resolve("token")).trim();
            HttpClient http = NodeHttp.trustingServerCa(data);
            String base = "https://127.0.0.1:" + server.port() + "/api/v1/namespaces/default/secrets";
            String body = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"},\"data\":{\"password\":\""
                    + encoded + "\"},\"stringData\":{\"plain\":\"" + secret + "\"}}";
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(base + "/s"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(read.body()).contains(encoded);
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base))
                    .header("Authorization", "Bearer " + token + "x").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
        } finally {
            server.close();
            clock.close();
        }

        String log = Files.readString(NodeLog.file(data));
        assertThat(log).as("the node logged at -v=6").contains("listening on https://127.0.0.1:")
                .containsPattern("(?m)^I.* RequestLog\\] HTTP verb=POST URI=\"/api/v1/namespaces/default/secrets\" latency=\\d+ms "
                        + "userAgent=\"Java-http-client/.*\" srcIP=\"127.0.0.1:\\d+\" resp=201$")
                .containsPattern("RequestLog\\] HTTP verb=GET .* resp=401");
        assertThat(log).doesNotContain(token, secret, encoded);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
