package io.podvisor.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.podvisor.core.FakeClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PullPrinterTest {

    private static final String BLOB = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private final FakeClock clock = new FakeClock(Instant.parse("2024-01-01T00:00:00Z"));
    private final StringWriter text = new StringWriter();

    @Test
    void plainOutputPrintsAtMostEveryHalfSecondAndEachBlobsLastLine() {
        PullPrinter printer = new PullPrinter(new PrintWriter(text), clock, false);

        printer.blob(BLOB, 100_000, 2_100_000);
        printer.blob(BLOB, 200_000, 2_100_000);
        clock.advance(Duration.ofMillis(499));
        printer.blob(BLOB, 300_000, 2_100_000);
        clock.advance(Duration.ofMillis(1));
        printer.blob(BLOB, 1_200_000, 2_100_000);
        printer.blob(BLOB, 2_100_000, 2_100_000);

        assertThat(text.toString().lines()).containsExactly(
                "sha256:0123456789ab 100.0kB/2.1MB",
                "sha256:0123456789ab 1.2MB/2.1MB",
                "sha256:0123456789ab 2.1MB/2.1MB done");
    }

    @Test
    void aTerminalGetsOneLineRewrittenInPlace() {
        PullPrinter printer = new PullPrinter(new PrintWriter(text), clock, true);

        printer.blob(BLOB, 1_500, 3_000);
        clock.advance(Duration.ofMillis(100));
        printer.blob(BLOB, 2_000, 3_000);
        printer.blob(BLOB, 3_000, 3_000);

        assertThat(text.toString()).startsWith("\rsha256:0123456789ab 1.5kB/3.0kB\rsha256:0123456789ab 2.0kB/3.0kB")
                .endsWith("\rsha256:0123456789ab 3.0kB/3.0kB done" + System.lineSeparator());
    }

    @Test
    void sizesInDecimalUnits() {
        assertThat(PullPrinter.size(999)).isEqualTo("999B");
        assertThat(PullPrinter.size(1_234)).isEqualTo("1.2kB");
        assertThat(PullPrinter.size(5_600_000_000L)).isEqualTo("5.6GB");
        assertThat(PullPrinter.shortDigest(BLOB)).isEqualTo("sha256:0123456789ab");
        assertThat(ImagePullCommand.seconds(Duration.ofMillis(45))).isEqualTo("45ms");
        assertThat(ImagePullCommand.seconds(Duration.ofMillis(1_234))).isEqualTo("1.2s");
    }
}
