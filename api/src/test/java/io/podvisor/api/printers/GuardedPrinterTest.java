package io.podvisor.api.printers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.podvisor.api.resources.ResourceTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One object a printer cannot print (stored before the API refused it) never breaks a listing. */
class GuardedPrinterTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");

    private static Event event(String name, String last) {
        return new EventBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName("p").endInvolvedObject().withReason("Started")
                .withType("Normal").withLastTimestamp(last).withFirstTimestamp(last).build();
    }

    @Test
    void anUnprintableEventGetsUnknownCellsAndTheOthersPrint() {
        ObjectNode table = Tables.table(ResourceTypes.EVENTS, List.of(event("good", "2026-01-01T00:00:00Z"),
                event("bad", "99999999999999999999999")), NOW, "7", false);
        assertThat(table.get("rows")).hasSize(2);
        assertThat(table.at("/rows/0/cells/0").asText()).isEqualTo("10m");
        List<String> bad = new ArrayList<>();
        table.at("/rows/1/cells").forEach(c -> bad.add(c.asText()));
        int name = Tables.columns(ResourceTypes.EVENTS).stream().map(Tables.Column::format).toList().indexOf("name");
        assertThat(bad.get(name)).isEqualTo("bad");
        assertThat(bad).filteredOn(c -> !c.equals("bad")).containsOnly("<unknown>");
    }

    @Test
    void aPodStoredWithANullReadinessGateStillListsWithTheOthers() {
        io.fabric8.kubernetes.api.model.Pod bad = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("bad").withNamespace("default").endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage("busybox").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("False").endCondition()
                .endStatus().build();
        bad.getSpec().setReadinessGates(new ArrayList<>(java.util.Collections.singletonList(null)));
        io.fabric8.kubernetes.api.model.Pod good = new io.fabric8.kubernetes.api.model.PodBuilder(bad).editMetadata()
                .withName("good").endMetadata().editSpec().withReadinessGates(List.of()).endSpec().build();
        ObjectNode table = Tables.table(ResourceTypes.PODS, List.of(good, bad), NOW, "7", false);
        assertThat(table.get("rows")).hasSize(2);
        assertThat(table.at("/rows/0/cells/0").asText()).isEqualTo("good");
        assertThat(table.at("/rows/0/cells/1").asText()).isEqualTo("0/1");
        assertThat(table.at("/rows/1/cells/0").asText()).isEqualTo("bad");
    }
}
