package io.podvisor.runtime.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.core.FakeClock;
import io.podvisor.runtime.CriLog;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriLogWriterTest {

    @TempDir
    Path dir;

    @Test
    void pumpsLinesIntoCriRecordsOffVirtualThreads() throws Exception {
        List<Boolean> readOnVirtual = new CopyOnWriteArrayList<>();
        InputStream pipe = new ByteArrayInputStream("one\ntwo\n".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                readOnVirtual.add(Thread.currentThread().isVirtual());
                return super.read(b, off, len);
            }
        };
        Path file = dir.resolve("0.log");
        CriLogWriter writer = new CriLogWriter(file, new FakeClock(Instant.parse("2026-01-01T00:00:00Z")));

        writer.pump(pipe, CriLog.Stream.STDOUT).get(10, TimeUnit.SECONDS);

        assertThat(readOnVirtual).as("a blocking pipe read pins a virtual thread's carrier").isNotEmpty().containsOnly(false);
        assertThat(Files.readAllLines(file)).containsExactly(
                "2026-01-01T00:00:00Z stdout F one", "2026-01-01T00:00:00Z stdout F two");
    }

    @Test
    void pipeReadersAreDaemonPlatformThreads() throws Exception {
        List<Thread> seen = new CopyOnWriteArrayList<>();
        PipeReaders.start("reader", () -> seen.add(Thread.currentThread())).join(10_000);
        assertThat(seen).singleElement().satisfies(t -> {
            assertThat(t.isVirtual()).isFalse();
            assertThat(t.isDaemon()).isTrue();
            assertThat(t.getName()).isEqualTo("reader");
        });
    }

}
