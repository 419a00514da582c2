package io.podvisor.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

    @ParameterizedTest
    @CsvSource({"0.5,500m", "1000m,1", "1024Mi,1Gi", "1.5Gi,1536Mi", "1000M,1G", "2,2", "1500,1500", "2000,2k",
            "0.0001,100u", "1e3,1e3", "-1,-1", "512Ki,512Ki", "0.5Ki,512", "0,0", "100m,100m"})
    void canonicalFormKeepsTheWrittenFamily(String in, String out) {
        assertThat(Quantities.canonical(in)).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource({"1e21,1e21", "12e20,1200e18", "1e19,10e18", "-1e999999999,-1e999999999", "25e999999998,2500e999999996",
            "1e-10,1e-9", "-1e-999999999,-1e-9", "1.5e-999999999,1e-9", "1e-1,100e-3"})
    void exponentFormKeepsLargeExponentsAndNeverExpandsThem(String in, String out) {
        // upstream prints an exponent-form quantity with a multiple-of-3 exponent and no E (10^18) cap;
        // before, 1e999999999 was expanded to 10^999999981 to put it under that cap, and values far below a
        // nano unit were divided by 10 to the power of their scale: both threw ArithmeticException
        String canonical = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Quantities.canonical(in));
        assertThat(canonical).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5Gb", "100 MB", "abc", "", ".", "1Gi ", "--1", "1e"})
    void rejectsWhatIsNotAQuantity(String in) {
        assertThat(Quantities.parse(in)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"500M,500000000", "500Mi,524288000", "1m,0.001", "2E6,2000000"})
    void parsesExactValues(String in, String value) {
        assertThat(Quantities.parse(in).orElseThrow().value()).isEqualByComparingTo(new BigDecimal(value));
    }

    @ParameterizedTest
    @CsvSource({"0,0", "1.2,2", "-1.2,-1", "1e-999999999,1", "-1e-999999999,0", "128Mi,134217728",
            "9223372036854775807,9223372036854775807", "9223372036854775808,9223372036854775807",
            "1e30,9223372036854775807", "1e999999999,9223372036854775807", "-1e999999999,-9223372036854775808"})
    void ceilingSaturatesInsteadOfExpandingOrWrapping(String in, long out) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                assertThat(Quantities.ceilSaturated(Quantities.parse(in).orElseThrow().value())).isEqualTo(out));
    }
}
