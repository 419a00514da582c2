package io.podvisor.runtime.image.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.image.OciImageStore;
import io.podvisor.runtime.image.PullProgress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Registry failures before any content is stored, worded as containerd words them. */
class RegistryErrorsTest {

    private final ImagePuller puller = new ImagePuller(new OciImageStore(Path.of("/nonexistent")),
            ImagePuller.Options.defaults());
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(int status, String header, String value) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        server.createContext("/", exchange -> {
            try (exchange) {
                if (header != null) {
                    exchange.getResponseHeaders().set(header, value);
                }
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.start();
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void aServerErrorIsAnUnexpectedStatus() throws Exception {
        String host = serve(500, null, null);

        assertThatThrownBy(() -> puller.pull(host + "/app:1", List.of(), PullProgress.NONE))
                .isInstanceOf(RuntimeFailure.class)
                .hasMessage("failed to pull and unpack image \"" + host + "/app:1\": failed to resolve reference \""
                        + host + "/app:1\": unexpected status from GET request to http://" + host
                        + "/v2/app/manifests/1: 500 Internal Server Error");
    }

    @Test
    void basicChallengeWithoutCredentialsIsDenied() throws Exception {
        String host = serve(401, "WWW-Authenticate", "Basic realm=\"registry\"");

        assertThatThrownBy(() -> puller.pull(host + "/app:1", List.of(), PullProgress.NONE))
                .hasMessage("failed to pull and unpack image \"" + host + "/app:1\": failed to resolve reference \""
                        + host + "/app:1\": pull access denied, repository does not exist or may require "
                        + "authorization: authorization failed");
    }

    @Test
    void nobodyListeningIsAFailedRequest() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String host = "127.0.0.1:" + port;

        assertThatThrownBy(() -> puller.pull(host + "/app:1", List.of(), PullProgress.NONE))
                .hasMessage("failed to pull and unpack image \"" + host + "/app:1\": failed to resolve "
                        + "reference \"" + host + "/app:1\": failed to do request: Get \"http://" + host
                        + "/v2/app/manifests/1\": dial tcp " + host + ": connect: connection refused");
    }

    @Test
    void anInvalidReferenceIsRefused() {
        assertThatThrownBy(() -> puller.pull("Bad/Name", List.of(), PullProgress.NONE))
                .hasMessage("failed to pull and unpack image \"Bad/Name\": invalid reference format: repository name must be lowercase");
    }
}
