package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry.WatchEvent;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * A watcher that stops reading is cut off once its buffer is full, as kube-apiserver closes an
 * unresponsive watcher, while the heap stays flat and a watcher that reads keeps getting every event.
 */
class StalledWatchTest extends ServerTestBase {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String WATCH = "/api/v1/namespaces/default/pods?watch=1&resourceVersion=100";
    /** About 4 KiB of annotation per event: 8,000 events are about 4x the watch's 8 MiB buffer. */
    private static final String FILLER = "x".repeat(4096);

    @Test
    void aWatcherThatStopsReadingIsClosedWhileTheHeapStaysFlatAndOthersKeepReceiving() throws Exception {
        HttpResponse<Stream<String>> reading = http.send(request(WATCH).GET().build(), HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = reading.body().iterator();
        AtomicInteger received = new AtomicInteger();
        Thread reader = Thread.ofVirtual().start(() -> {
            while (lines.hasNext()) {
                lines.next();
                received.incrementAndGet();
            }
        });
        try (SSLSocket stalled = stalledWatch()) {
            await().atMost(DEADLINE).until(() -> registry.watcherCount() == 2);
            long before = usedHeapAfterGc();

            int events = 8000;
            int batch = 200;
            for (int sent = 0; sent < events; sent += batch) {
                for (int i = sent; i < sent + batch; i++) {
                    registry.emit(ResourceTypes.PODS, new WatchEvent("MODIFIED", pod(i)));
                }
                int expected = sent + batch;
                await().atMost(DEADLINE).until(() -> received.get() >= expected);
            }

            await().atMost(DEADLINE).until(() -> registry.watcherCount() == 1);
            long after = usedHeapAfterGc();
            assertThat(received.get()).as("the reading watcher got every event").isEqualTo(events);
            assertThat(after - before).as("heap growth with a stalled watcher after %d events of 4 KiB", events)
                    .isLessThan(16L * 1024 * 1024);
            assertThat(bytesUntilClosed(stalled)).as("what the stalled watcher could still read before the end")
                    .isLessThan((long) events * FILLER.length() / 2);
        } finally {
            reader.interrupt();
        }
    }

    /** A watch request on a socket with a small receive buffer whose answer is never read. */
    private SSLSocket stalledWatch() throws Exception {
        Socket plain = new Socket();
        plain.setReceiveBufferSize(4096);
        return rawGet(plain, WATCH);
    }

    /** Reads what is left until the server has closed the connection; fails the test if it stays open. */
    private static long bytesUntilClosed(SSLSocket socket) throws IOException {
        socket.setSoTimeout((int) DEADLINE.toMillis());
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[65536];
        long total = 0;
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                total += n;
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the stalled watch was not closed (" + total + " bytes read)", e);
        } catch (IOException e) {
            // reset or TLS failure: the server closed it
        }
        return total;
    }

    private static Pod pod(int i) {
        return new PodBuilder().withNewMetadata().withName("p" + i).withNamespace("default")
                .withResourceVersion(Integer.toString(200 + i))
                .addToAnnotations("filler", FILLER + i).endMetadata().build();
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
