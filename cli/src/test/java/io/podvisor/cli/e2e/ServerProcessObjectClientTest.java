package io.podvisor.cli.e2e;

import io.podvisor.api.client.ObjectClient;
import io.podvisor.client.contract.ObjectClientContract;
import io.podvisor.client.https.HttpsObjectClient;
import io.podvisor.core.FileTrees;
import io.podvisor.core.SystemClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The client contract over HTTPS against {@code podvisor server} as its own process (SQLite store,
 * controllers and a kubelet on the fake runtime running), through the kubeconfig it wrote. The
 * 410 case is left to the in-JVM server with a short history: this one keeps the default.
 */
class ServerProcessObjectClientTest extends ObjectClientContract {

    private static Path data;
    private static Process server;
    private static SystemClock clock;
    private static HttpsObjectClient client;

    @BeforeAll
    static void start() throws Exception {
        data = Files.createTempDirectory("podvisor-contract-");
        server = ServerProcessTest.startServer(data.resolve("node"), List.of()).process();
        clock = new SystemClock();
        client = HttpsObjectClient.fromKubeconfig(data.resolve("node/kubeconfig"), clock);
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (clock != null) {
            clock.close();
        }
        if (server != null) {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
        FileTrees.delete(data);
    }

    @Override
    protected ObjectClient client() {
        return client;
    }

    @Override
    protected int writesToLeaveHistory() {
        return 0;
    }

    /**
     * Not a test against this target: the server keeps 10,000 events of watch history, too many
     * writes to leave here; the same HTTPS code path is held to it by {@code HttpsObjectClientTest},
     * whose in-JVM server keeps a short history. (Overridden without {@code @Test}, so it does not
     * run, rather than showing as skipped.)
     */
    @Override
    protected void watchFromARevisionOutOfTheHistoryIsGone() {
    }
}
