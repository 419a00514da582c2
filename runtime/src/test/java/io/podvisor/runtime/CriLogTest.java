package io.podvisor.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CriLogTest {

    @Test
    void timestampsTrimTrailingZerosAsGoDoes() {
        assertThat(CriLog.timestamp(Instant.parse("2026-01-01T00:00:05Z"))).isEqualTo("2026-01-01T00:00:05Z");
        assertThat(CriLog.timestamp(Instant.parse("2026-01-01T00:00:05.500Z"))).isEqualTo("2026-01-01T00:00:05.5Z");
        assertThat(CriLog.timestamp(Instant.parse("2026-01-01T00:00:05.123456789Z")))
                .isEqualTo("2026-01-01T00:00:05.123456789Z");
    }

    @Test
    void formatsOneFullRecordPerLineAndParsesThemBack() {
        Instant t = Instant.parse("2026-01-01T00:00:01.25Z");
        String text = CriLog.format(t, CriLog.Stream.STDERR, "a\nb c");
        assertThat(text).isEqualTo("2026-01-01T00:00:01.25Z stderr F a\n2026-01-01T00:00:01.25Z stderr F b c\n");
        CriLog.Entry e = CriLog.parse("2026-01-01T00:00:01.25Z stderr F b c");
        assertThat(e).isEqualTo(new CriLog.Entry(t, CriLog.Stream.STDERR, false, "b c"));
        assertThat(CriLog.parse("2026-01-01T00:00:01Z stdout P part").partial()).isTrue();
        assertThat(CriLog.parse("2026-01-01T00:00:01Z stdout F ").text()).isEmpty();
    }

    @Test
    void rejectsLinesThatAreNotRecords() {
        assertThat(CriLog.parse("hello world")).isNull();
        assertThat(CriLog.parse("2026-01-01T00:00:01Z stdin F x")).isNull();
        assertThat(CriLog.parse("yesterday stdout F x")).isNull();
    }
}
