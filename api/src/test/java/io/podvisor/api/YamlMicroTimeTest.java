package io.podvisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class YamlMicroTimeTest {

    @Test
    void leaseTimesAreMicroTimesInUtcAndSurviveACopy() {
        ZonedDateTime t = ZonedDateTime.of(2026, 1, 1, 0, 0, 10, 123_456_000, ZoneOffset.UTC);
        Lease lease = new LeaseBuilder().withNewMetadata().withName("n").endMetadata()
                .withNewSpec().withHolderIdentity("n").withRenewTime(t).endSpec().build();
        assertThat(Yaml.json(lease)).contains("\"renewTime\":\"2026-01-01T00:00:10.123456Z\"");
        assertThat(Yaml.copy(lease).getSpec().getRenewTime()).isEqualTo(t);
        Lease read = Yaml.read("spec: {renewTime: \"2026-01-01T00:00:10Z\"}", Lease.class);
        assertThat(read.getSpec().getRenewTime().toInstant()).isEqualTo(t.withNano(0).toInstant());
    }
}
