package io.podvisor.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SecurityConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    static SecurityConfig caps(List<String> add, List<String> drop) {
        return new SecurityConfig(null, null, false, false, add, drop);
    }

    @Test
    void defaultsPlusAddedMinusDropped() throws Exception {
        assertThat(Capabilities.of(SecurityConfig.NONE)).hasSize(14).contains("CAP_CHOWN", "CAP_KILL")
                .doesNotContain("CAP_NET_ADMIN", "CAP_SYS_ADMIN");
        List<String> c = Capabilities.of(caps(List.of("NET_ADMIN", "cap_sys_time"), List.of("KILL")));
        assertThat(c).contains("CAP_NET_ADMIN", "CAP_SYS_TIME").doesNotContain("CAP_KILL").hasSize(15);
    }

    @Test
    void allMeansEveryOrNone() throws Exception {
        assertThat(Capabilities.of(caps(List.of("ALL"), List.of()))).hasSize(41).contains("CAP_SYS_ADMIN");
        assertThat(Capabilities.of(caps(List.of(), List.of("ALL")))).isEmpty();
        assertThat(Capabilities.of(caps(List.of("NET_BIND_SERVICE"), List.of("ALL")))).containsExactly("CAP_NET_BIND_SERVICE");
        assertThat(Capabilities.of(caps(List.of("ALL"), List.of("SYS_ADMIN")))).hasSize(40).doesNotContain("CAP_SYS_ADMIN");
        assertThat(Capabilities.of(new SecurityConfig(null, null, false, true, List.of(), List.of("ALL")))).hasSize(41);
    }

    @Test
    void unknownNamesAreRefused() {
        assertThatThrownBy(() -> Capabilities.of(caps(List.of("FLY"), List.of()))).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("FLY");
    }
}
