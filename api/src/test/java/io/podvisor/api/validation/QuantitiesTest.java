package io.podvisor.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
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
    @ValueSource(strings = {"1.5Gb", "100 MB", "abc", "", ".", "1Gi ", "--1", "1e"})
    void rejectsWhatIsNotAQuantity(String in) {
        assertThat(Quantities.parse(in)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"500M,500000000", "500Mi,524288000", "1m,0.001", "2E6,2000000"})
    void parsesExactValues(String in, String value) {
        assertThat(Quantities.parse(in).orElseThrow().value()).isEqualByComparingTo(new BigDecimal(value));
    }
}
