package io.podvisor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0s", "10000, 10s", "40000, 40s", "80000, 1m20s", "300000, 5m0s", "3600000, 1h0m0s",
        "812, 812ms", "1234, 1.234s", "123456, 2m3.456s", "3723000, 1h2m3s", "1, 1ms", "1500, 1.5s"
    })
    void formatsLikeGo(long millis, String expected) {
        assertThat(GoDuration.format(Duration.ofMillis(millis))).isEqualTo(expected);
    }
}
