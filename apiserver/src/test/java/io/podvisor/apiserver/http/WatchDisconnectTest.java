package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * A watch over real HTTPS whose client goes away is released at once, though no event comes to be
 * written; stopping the server with idle watches open ends them cleanly.
 */
class WatchDisconnectTest extends ServerTestBase {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String WATCH = "/api/v1/namespaces/default/pods?watch=1&resourceVersion=100";

    @Test
    void aWatchWhoseClientClosesTheConnectionIsReleasedWithoutAnEvent() throws Exception {
        SSLSocket first = watch();
        SSLSocket second = watch();
        await().atMost(DEADLINE).until(() -> registry.watcherCount() == 2);

        first.close();

        await().atMost(DEADLINE).until(() -> registry.watcherCount() == 1);
        second.close();
        await().atMost(DEADLINE).until(() -> registry.watcherCount() == 0);
    }

    @Test
    void aClientThatOnlyShutsItsOutputDownIsReleasedToo() throws Exception {
        try (SSLSocket socket = watch()) {
            await().atMost(DEADLINE).until(() -> registry.watcherCount() == 1);

            socket.shutdownOutput(); // half-close, as Go's client never does but curl may

            await().atMost(DEADLINE).until(() -> registry.watcherCount() == 0);
        }
    }

    @Test
    void stoppingTheServerEndsIdleWatchesCleanly() throws Exception {
        try (SSLSocket a = watch(); SSLSocket b = watch()) {
            await().atMost(DEADLINE).until(() -> registry.watcherCount() == 2);

            server.stopOrThrow();

            assertThat(registry.watcherCount()).isZero();
            assertThat(readToEnd(a)).as("the first watch's answer ends with the last chunk").endsWith("0\r\n\r\n");
            assertThat(readToEnd(b)).as("the second watch's answer ends with the last chunk").endsWith("0\r\n\r\n");
        }
    }

    /** A watch request on its own TLS connection; its answer is left unread. */
    private SSLSocket watch() throws Exception {
        return rawGet(new Socket(), WATCH);
    }

    /** What the server sent until it closed the connection; fails when it stays open. */
    private static String readToEnd(SSLSocket socket) throws IOException {
        socket.setSoTimeout((int) DEADLINE.toMillis());
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection stayed open after: " + got.toString(StandardCharsets.UTF_8), e);
        } catch (IOException e) {
            // the server closed it without a close_notify: what came before still counts
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
