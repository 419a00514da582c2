package io.podvisor.api.printers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {

    private static final long M = 60;
    private static final long H = 60 * M;
    private static final long D = 24 * H;
    private static final long Y = 365 * D;

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({
        // clock skew: whole seconds truncated toward zero; below -1 is invalid
        "-100000, <invalid>",
        "-2000,   <invalid>",
        "-1999,   0s",
        "-1000,   0s",
        "-1,      0s",
        // seconds below two minutes
        "0,       0s",
        "999,     0s",
        "1000,    1s",
        "59000,   59s",
        "60000,   60s",
        "119000,  119s",
        "119999,  119s",
    })
    void smallAndNegative(long millis, String expected) {
        assertThat(HumanDuration.format(Duration.ofMillis(millis))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}s -> {1}")
    @CsvSource({
        // minutes and seconds below ten minutes
        "120,      2m",
        "121,      2m1s",
        "125,      2m5s",
        "180,      3m",
        "599,      9m59s",
        // minutes below three hours
        "600,      10m",
        "659,      10m",
        "10799,    179m",
        // hours and minutes below eight hours
        "10800,    3h",
        "10859,    3h",
        "11100,    3h5m",
        "28799,    7h59m",
        // hours below two days
        "28800,    8h",
        "32400,    9h",
        "172799,   47h",
        // days and hours below eight days
        "172800,   2d",
        "183600,   2d3h",
        "691199,   7d23h",
        // days below two years
        "691200,   8d",
        "63071999, 729d",
        // years and days below eight years
        "63072000, 2y",
        "63936000, 2y10d",
        "94608000, 3y",
        "252287999, 7y364d",
        // years
        "252288000, 8y",
        "3153600000, 100y",
    })
    void positiveBoundaries(long seconds, String expected) {
        assertThat(HumanDuration.format(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}s -> {1}")
    @CsvSource({
        "125, 2m5s", "11100, 3h5m", "183600, 2d3h", "63936000, 2y10d",
    })
    void fractionalSecondsAreTruncatedNotRounded(long seconds, String expected) {
        assertThat(HumanDuration.format(Duration.ofSeconds(seconds).plusMillis(999))).isEqualTo(expected);
    }

    @Test
    void unitConstantsMatchTheTable() {
        assertThat(HumanDuration.format(Duration.ofSeconds(2 * Y + 10 * D))).isEqualTo("2y10d");
        assertThat(HumanDuration.format(Duration.ofSeconds(7 * D + 23 * H + 59 * M))).isEqualTo("7d23h");
        assertThat(HumanDuration.format(Duration.ofDays(730))).isEqualTo("2y");
    }
}
