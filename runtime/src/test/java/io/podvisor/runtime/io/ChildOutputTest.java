package io.podvisor.runtime.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.core.FakeClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Children's output through the shared {@link PipePoller} (Linux) into CRI log files. */
class ChildOutputTest {

    private static final FakeClock CLOCK = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));

    @TempDir
    Path dir;

    private static void assumePoller() {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "epoll is Linux's");
        assertThat(PipePoller.shared()).as("the poller works on Linux").isPresent();
    }

    private static Process start(ChildOutput out, String script) throws Exception {
        Process p = null;
        try {
            p = out.redirect(new ProcessBuilder("sh", "-c", script)).start();
        } finally {
            out.started(p);
        }
        return p;
    }

    @Test
    void manyChildrenAreReadByOneThreadIntoTheirLogs() throws Exception {
        assumePoller();
        int children = 40;
        List<CompletableFuture<Void>> drained = new ArrayList<>();
        List<Process> procs = new ArrayList<>();
        int threadsBefore = Thread.activeCount();
        for (int i = 0; i < children; i++) {
            ChildOutput out = ChildOutput.open();
            // a long line (past the 16 KiB record limit), an unfinished last line, both streams
            procs.add(start(out, "echo out " + i + "; echo err " + i + " >&2; sleep 0.2; "
                    + "head -c 20000 /dev/zero | tr '\\0' x; echo; printf 'tail " + i + "'"));
            drained.add(out.drainTo(dir.resolve(i + ".log").toString(), CLOCK));
        }
        assertThat(Thread.activeCount() - threadsBefore).as("no thread per pipe").isLessThan(children);
        for (int i = 0; i < children; i++) {
            assertThat(procs.get(i).waitFor(30, TimeUnit.SECONDS)).isTrue();
            drained.get(i).get(30, TimeUnit.SECONDS);
            List<String> lines = Files.readAllLines(dir.resolve(i + ".log"));
            assertThat(lines).contains("2026-01-01T00:00:00Z stdout F out " + i, "2026-01-01T00:00:00Z stderr F err " + i,
                    "2026-01-01T00:00:00Z stdout F tail " + i);
            assertThat(lines).filteredOn(l -> l.contains(" stdout P ")).hasSize(1);
            assertThat(lines).filteredOn(l -> l.contains(" stdout F xxx")).hasSize(1);
        }
    }

    @Test
    void closingStopsReadingAPipeSomeoneStillHoldsOpen() throws Exception {
        assumePoller();
        ChildOutput out = ChildOutput.open();
        // the shell exits at once, its background sleep keeps the pipes open
        Path pid = dir.resolve("sleeper.pid");
        Process p = start(out, "echo started; sleep 60 & echo $! > " + pid + "; exit 0");
        CompletableFuture<Void> drained = out.drainTo(dir.resolve("held.log").toString(), CLOCK);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(drained).isNotDone();

        out.close();

        drained.get(10, TimeUnit.SECONDS);
        assertThat(Files.readAllLines(dir.resolve("held.log"))).containsExactly("2026-01-01T00:00:00Z stdout F started");
        ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void whatAFailedChildWroteOnStderrIsReadWithoutALog() throws Exception {
        assumePoller();
        ChildOutput out = ChildOutput.open();
        Process p = start(out, "echo 'no such thing' >&2; exit 3");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(out.stderrNow(), StandardCharsets.UTF_8)).isEqualTo("no such thing\n");
        out.close();
    }

    @Test
    void outputWithoutALogPathIsThrownAway() throws Exception {
        assumePoller();
        ChildOutput out = ChildOutput.open();
        Process p = start(out, "head -c 300000 /dev/zero; echo done >&2");
        CompletableFuture<Void> drained = out.drainTo("", CLOCK);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("a child writing more than a pipe holds is not blocked").isTrue();
        drained.get(30, TimeUnit.SECONDS);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
