package io.podvisor.kubelet.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.runtime.CriLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriLogFollowerTest {

    @TempDir
    Path tmp;

    private static void append(Path f, String text) throws Exception {
        Files.writeString(f, CriLog.format(Instant.EPOCH, CriLog.Stream.STDOUT, text), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static List<String> texts(List<CriLog.Entry> entries) {
        return entries.stream().map(CriLog.Entry::text).toList();
    }

    @Test
    void readsTheRestOfARotatedFileThenTheNewOneFromItsStart() throws Exception {
        Path log = tmp.resolve("0.log");
        try (CriLogFollower f = new CriLogFollower(log, 0)) {
            assertThat(f.poll()).as("not yet created").isEmpty();
            append(log, "one");
            assertThat(texts(f.poll())).containsExactly("one");
            append(log, "two");
            Files.move(log, tmp.resolve("0.log.20260101-000000"));
            append(log, "three");
            assertThat(texts(f.poll())).containsExactly("two", "three");
            append(log, "four");
            assertThat(texts(f.poll())).containsExactly("four");
        }
    }

    @Test
    void aTruncatedFileIsReadAgainFromItsStartAndHalfLinesWait() throws Exception {
        Path log = tmp.resolve("0.log");
        append(log, "one");
        append(log, "two");
        try (CriLogFollower f = new CriLogFollower(log, 0)) {
            assertThat(texts(f.poll())).containsExactly("one", "two");
            Files.writeString(log, "");
            append(log, "new");
            assertThat(texts(f.poll())).containsExactly("new");
            Files.writeString(log, "2026-01-01T00:00:00Z stdout F hal", StandardOpenOption.APPEND);
            assertThat(f.poll()).isEmpty();
            Files.writeString(log, "f\n", StandardOpenOption.APPEND);
            assertThat(texts(f.poll())).containsExactly("half");
        }
    }
}
