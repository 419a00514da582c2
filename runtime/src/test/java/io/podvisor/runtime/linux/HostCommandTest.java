package io.podvisor.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCommandTest {

    @TempDir
    Path dir;

    @Test
    void aBurstOfCommandsRunsAFewAtATime() throws Exception {
        int limit = HostCommand.concurrencyLimit();
        // each command marks itself running, counts who else is, and unmarks itself
        String script = "touch \"$1/$$\"; sleep 0.2; n=$(ls \"$1\" | wc -l); rm \"$1/$$\"; echo $n";
        List<Future<HostCommand.Result>> results = new ArrayList<>();
        try (ExecutorService burst = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 3 * limit; i++) {
                results.add(burst.submit(() -> HostCommand.run(List.of("sh", "-c", script, "sh", dir.toString()))));
            }
        }
        int most = 0;
        for (Future<HostCommand.Result> r : results) {
            assertThat(r.get().ok()).isTrue();
            most = Math.max(most, Integer.parseInt(r.get().stdout().strip()));
        }
        assertThat(most).isBetween(1, limit);
    }

    @Test
    void theOutputsAndTheExitCodeComeBack() throws Exception {
        HostCommand.Result r = HostCommand.run(List.of("sh", "-c", "cat; echo err >&2; exit 3"), "in\n");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("in\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        assertThat(r.message()).isEqualTo("err");
    }
}
