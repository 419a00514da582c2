package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A forwarded connection holds a bounded amount of what the client sends to a pod that does not read it. */
class PodConnectionTest {

    private static final int MESSAGE = 64 * 1024;
    private static final long OFFERED = 200L * 1024 * 1024;

    @Test
    void aClientFasterThanThePodWaitsForRoomAndIsReleasedByAnAbort() throws Exception {
        try (ServerSocket pod = new ServerSocket()) {
            pod.setReceiveBufferSize(4096);
            pod.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return pod.accept(); // and never read from
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            CompletableFuture<Void> done = new CompletableFuture<>();
            PodConnection connection = new PodConnection(dialer(pod.getLocalPort()), "web", pod.getLocalPort(),
                    new PodConnection.Client() {
                        @Override
                        public void data(byte[] bytes, int len) {
                        }

                        @Override
                        public void end() {
                        }

                        @Override
                        public void error(String message) {
                        }

                        @Override
                        public void done() {
                            done.complete(null);
                        }
                    });
            connection.start();

            AtomicLong sent = new AtomicLong();
            byte[] chunk = new byte[MESSAGE];
            Thread sender = Thread.ofVirtual().start(() -> {
                while (sent.get() < OFFERED) {
                    connection.fromClient(chunk, false);
                    sent.addAndGet(MESSAGE);
                }
            });
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> sender.getState() == Thread.State.TIMED_WAITING || !sender.isAlive());
            assertThat(sender.isAlive()).as("the sender waits for room instead of queueing all it offers").isTrue();
            // the queue's messages plus what the two sockets' buffers took
            assertThat(sent.get()).isLessThan((long) PodConnection.QUEUED_MESSAGES * MESSAGE + 32L * 1024 * 1024);

            connection.abort();
            sender.join(Duration.ofSeconds(30));
            assertThat(sender.isAlive()).as("an abort releases a waiting sender").isFalse();
            done.get(30, java.util.concurrent.TimeUnit.SECONDS);
            accepted.join().close();
        }
    }

    private static PodDialer dialer(int port) {
        return new PodDialer() {
            @Override
            public String host() {
                return "127.0.0.1";
            }

            @Override
            public Connection dial(int p) throws IOException {
                Socket s = new Socket();
                s.setSendBufferSize(4096);
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                return PodDialer.socket(s);
            }
        };
    }
}
