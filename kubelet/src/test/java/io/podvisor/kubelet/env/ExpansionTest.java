package io.podvisor.kubelet.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpansionTest {

    private static final Map<String, String> VARS = Map.of("A", "x", "B", "y z", "EMPTY", "");

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', value = {
        "$(A)|x",
        "pre-$(A)-$(B)-post|pre-x-y z-post",
        "$(UNKNOWN)|$(UNKNOWN)",
        "$$(A)|$(A)",
        "$$$(A)|$x",
        "$$|$",
        "a$|a$",
        "$A|$A",
        "$(A|$(A",
        "$(A)$(|x$(",
        "$()|$()",
        "$(EMPTY)|''",
        "no refs|no refs",
        "$(A)(B)|x(B)",
    })
    void expandsAsUpstream(String in, String out) {
        assertThat(Expansion.expand(in, Expansion.mappingFor(VARS))).isEqualTo(out.equals("''") ? "" : out);
    }

    @Test
    void nullStaysNull() {
        assertThat(Expansion.expand(null, Expansion.mappingFor(VARS))).isNull();
    }
}
