package io.podvisor.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry.ListOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Core and events.k8s.io/v1 events are one resource: written through either API, read through both. */
class EventVersionsTest {

    private final Fixture f = new Fixture();

    @Test
    void aCoreEventListsThroughEventsV1Converted() {
        f.create(ResourceTypes.EVENTS, "default", "{'apiVersion':'v1','kind':'Event','metadata':{'name':'web.1'},"
                + "'involvedObject':{'kind':'Pod','namespace':'default','name':'web','uid':'u1'},'reason':'Pulled',"
                + "'message':'Container image pulled','type':'Normal','source':{'component':'kubelet','host':'node-1'},"
                + "'firstTimestamp':'2026-11-22T02:00:00Z','lastTimestamp':'2026-11-22T02:00:05Z','count':3,"
                + "'reportingComponent':'kubelet','reportingInstance':'node-1'}");

        List<HasMetadata> items = f.reg.list(ResourceTypes.EVENTS_V1, ListOptions.all("default")).items();

        assertThat(items).hasSize(1);
        io.fabric8.kubernetes.api.model.events.v1.Event e = (io.fabric8.kubernetes.api.model.events.v1.Event) items.getFirst();
        assertThat(e.getApiVersion()).isEqualTo("events.k8s.io/v1");
        assertThat(e.getMetadata().getName()).isEqualTo("web.1");
        assertThat(e.getRegarding().getName()).isEqualTo("web");
        assertThat(e.getNote()).isEqualTo("Container image pulled");
        assertThat(e.getReason()).isEqualTo("Pulled");
        assertThat(e.getType()).isEqualTo("Normal");
        assertThat(e.getDeprecatedSource().getComponent()).isEqualTo("kubelet");
        assertThat(e.getDeprecatedFirstTimestamp()).isEqualTo("2026-11-22T02:00:00Z");
        assertThat(e.getDeprecatedLastTimestamp()).isEqualTo("2026-11-22T02:00:05Z");
        assertThat(e.getDeprecatedCount()).isEqualTo(3);
        assertThat(e.getReportingController()).isEqualTo("kubelet");
        assertThat(e.getReportingInstance()).isEqualTo("node-1");
        assertThat(f.get(ResourceTypes.EVENTS_V1, "default", "web.1").getMetadata().getResourceVersion())
                .isEqualTo(f.get(ResourceTypes.EVENTS, "default", "web.1").getMetadata().getResourceVersion());
    }

    @Test
    void anEventsV1EventReadsAsACoreEventAndWatchesSeeItThroughBoth() {
        List<String> core = new ArrayList<>();
        List<String> v1 = new ArrayList<>();
        f.reg.watch(ResourceTypes.EVENTS, ListOptions.all("default"), ev -> core.add(ev.type() + " " + ev.object().getClass().getName()));
        f.reg.watch(ResourceTypes.EVENTS_V1, ListOptions.all("default"), ev -> v1.add(ev.type() + " " + ev.object().getClass().getName()));

        f.create(ResourceTypes.EVENTS_V1, "default", "{'apiVersion':'events.k8s.io/v1','kind':'Event','metadata':{'name':'job.1'},"
                + "'eventTime':'2026-11-22T02:00:00.000000Z','reportingController':'example.com/ctl','reportingInstance':'ctl-1',"
                + "'action':'Scale','reason':'Scaled','type':'Normal','note':'scaled up',"
                + "'regarding':{'kind':'Job','namespace':'default','name':'job'}}");
        f.drain();

        Event e = (Event) f.get(ResourceTypes.EVENTS, "default", "job.1");
        assertThat(e.getApiVersion()).isEqualTo("v1");
        assertThat(e.getInvolvedObject().getName()).isEqualTo("job");
        assertThat(e.getMessage()).isEqualTo("scaled up");
        assertThat(e.getReportingComponent()).isEqualTo("example.com/ctl");
        assertThat(e.getAction()).isEqualTo("Scale");
        assertThat(f.reg.list(ResourceTypes.EVENTS, ListOptions.all("default")).items()).hasSize(1);
        assertThat(core).containsExactly("ADDED " + Event.class.getName());
        assertThat(v1).containsExactly("ADDED " + io.fabric8.kubernetes.api.model.events.v1.Event.class.getName());
    }
}
