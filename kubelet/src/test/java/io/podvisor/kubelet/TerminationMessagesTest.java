package io.podvisor.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.CriLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminationMessagesTest {

    @TempDir
    Path tmp;

    private static ContainerInfo exited(int code, String reason, String runtimeMessage, String policy, Path file) {
        Map<String, String> ann = new HashMap<>();
        ann.put(Labels.TERMINATION_MESSAGE_POLICY, policy);
        if (file != null) {
            ann.put(Labels.TERMINATION_MESSAGE_FILE, file.toString());
        }
        return new ContainerInfo("id1", "sb", "app", 0, "busybox", "sha256:x", ContainerState.EXITED, Instant.EPOCH,
                Instant.EPOCH, Instant.EPOCH, code, reason, runtimeMessage, Map.of(), ann);
    }

    private Path log(int lines) throws Exception {
        Path log = tmp.resolve("0.log");
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= lines; i++) {
            sb.append(CriLog.format(Instant.EPOCH, i % 2 == 0 ? CriLog.Stream.STDERR : CriLog.Stream.STDOUT, "line " + i));
        }
        return Files.writeString(log, sb.toString());
    }

    @Test
    void theFileWinsAndOnlyItsLast4096BytesAreKept() throws Exception {
        Path f = Files.writeString(tmp.resolve("msg"), "x".repeat(5000) + "END");
        String m = TerminationMessages.message(exited(1, "Error", null, "FallbackToLogsOnError", f), log(3));
        assertThat(m).hasSize(4096).endsWith("END");
    }

    @Test
    void fallbackToLogsOnlyForAnEmptyFileAndANonZeroExit() throws Exception {
        Path empty = Files.writeString(tmp.resolve("msg"), "");
        Path log = log(100);
        String m = TerminationMessages.message(exited(2, "Error", null, "FallbackToLogsOnError", empty), log);
        assertThat(m).startsWith("line 21\n").endsWith("line 100\n");
        assertThat(m.split("\n")).hasSize(80);
        assertThat(TerminationMessages.message(exited(0, "Completed", null, "FallbackToLogsOnError", empty), log)).isEmpty();
        assertThat(TerminationMessages.message(exited(2, "Error", null, "File", empty), log)).isEmpty();
        assertThat(TerminationMessages.message(exited(2, "Error", null, "FallbackToLogsOnError", tmp.resolve("missing")), log))
                .endsWith("line 100\n");
    }

    @Test
    void logFallbackKeepsTheFinal2048Bytes() throws Exception {
        Path log = tmp.resolve("0.log");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            sb.append(CriLog.format(Instant.EPOCH, CriLog.Stream.STDOUT, i + "y".repeat(500)));
        }
        Files.writeString(log, sb.toString());
        String m = TerminationMessages.message(exited(1, "Error", null, "FallbackToLogsOnError", null), log);
        assertThat(m).hasSize(2048).endsWith("9" + "y".repeat(500) + "\n");
    }

    @Test
    void theRuntimesMessageComesFirst() throws Exception {
        Path f = Files.writeString(tmp.resolve("msg"), "bye");
        assertThat(TerminationMessages.message(exited(128, "StartError", "exec: not found", "File", f), null))
                .isEqualTo("exec: not found: bye");
        Files.writeString(f, "");
        assertThat(TerminationMessages.message(exited(128, "StartError", "exec: not found", "File", f), null))
                .isEqualTo("exec: not found");
    }
}
