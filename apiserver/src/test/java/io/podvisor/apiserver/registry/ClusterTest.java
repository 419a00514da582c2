package io.podvisor.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.podvisor.api.ClusterClient;
import io.podvisor.api.resources.ResourceTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterTest {

    private final Fixture f = new Fixture();

    @Test
    void bootstrapCreatesSystemNamespacesOnceWithDefaultServiceAccounts() {
        List<String> names = f.reg.list(Namespace.class, null, null, null).stream().map(n -> n.getMetadata().getName()).toList();
        assertThat(names).containsExactly("default", "kube-node-lease", "kube-public", "kube-system");
        assertThat(f.reg.get(Namespace.class, null, "default").getStatus().getPhase()).isEqualTo("Active");
        for (String ns : names) {
            assertThat(f.reg.get(ServiceAccount.class, ns, "default")).as(ns).isNotNull();
        }
        long rev = f.store.currentRevision();
        Fixture restarted = new Fixture(f.store);
        assertThat(f.store.currentRevision()).isEqualTo(rev);
        assertThat(restarted.reg.list(Namespace.class, null, null, null)).hasSize(4);
    }

    @Test
    void newNamespaceGetsDefaultServiceAccount() {
        f.create(ResourceTypes.NAMESPACES, null, "{'metadata':{'name':'team'}}");
        assertThat(f.reg.get(ServiceAccount.class, "team", "default")).isNotNull();
    }

    @Test
    void clusterIpsAreDistinctInRangeAndHeadlessKept() {
        Set<String> ips = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Service s = (Service) f.create(ResourceTypes.SERVICES, "default",
                    "{'metadata':{'name':'s" + i + "'},'spec':{'ports':[{'port':80}]}}").object();
            String ip = s.getSpec().getClusterIP();
            int v = ClusterIps.parse(ip);
            assertThat(v - ClusterIps.parse("10.96.0.0")).isBetween(2, (1 << 20) - 2);
            assertThat(s.getSpec().getClusterIPs()).containsExactly(ip);
            ips.add(ip);
        }
        assertThat(ips).hasSize(20);
        Service headless = (Service) f.create(ResourceTypes.SERVICES, "default",
                "{'metadata':{'name':'h'},'spec':{'clusterIP':'None'}}").object();
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getClusterIPs()).containsExactly("None");
    }

    @Test
    void kubeletSeesOnlyItsPodsAndFinishesThem() {
        List<String> seen = new ArrayList<>();
        f.createPod("default", "mine");
        f.reg.bind("default", "mine", "node-1");
        f.createPod("default", "other");
        f.reg.bind("default", "other", "node-2");
        f.reg.watchPods("node-1", new ClusterClient.PodListener() {
            @Override
            public void onUpsert(Pod pod) {
                seen.add("upsert " + pod.getMetadata().getName() + (pod.getMetadata().getDeletionTimestamp() != null ? " deleting" : ""));
            }

            @Override
            public void onDelete(Pod pod) {
                seen.add("delete " + pod.getMetadata().getName());
            }
        });
        f.drain();
        assertThat(seen).containsExactly("upsert mine");
        f.createPod("default", "late");
        f.reg.bind("default", "late", "node-1");
        f.drain();
        assertThat(seen).containsExactly("upsert mine", "upsert late");

        Pod mine = f.reg.get(Pod.class, "default", "mine");
        PodStatus st = new PodStatus();
        st.setPhase("Running");
        assertThat(f.reg.updatePodStatus("default", "mine", "wrong-uid", st)).isNull();
        Pod updated = f.reg.updatePodStatus("default", "mine", mine.getMetadata().getUid(), st);
        assertThat(updated.getStatus().getPhase()).isEqualTo("Running");
        assertThat(updated.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(f.reg.updatePodStatus("default", "gone", "x", st)).isNull();

        f.reg.delete(Pod.class, "default", "mine", null);
        f.reg.deletePodFinal("default", "mine", mine.getMetadata().getUid());
        f.drain();
        assertThat(seen).containsExactly("upsert mine", "upsert late", "upsert mine", "upsert mine deleting", "delete mine");
    }

    @Test
    void eventSinkWritesAndRecreatesExpiredEvents() {
        Event e = new EventBuilder().withNewMetadata().withName("web.1").withNamespace("default").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName("web").withNamespace("default").endInvolvedObject()
                .withReason("Pulled").withType("Normal").withCount(1).withFirstTimestamp("2026-11-22T02:00:00Z")
                .withLastTimestamp("2026-11-22T02:00:00Z").withNewSource().withComponent("kubelet").endSource().build();
        f.reg.events().create(e);
        f.drain();
        assertThat(f.reg.list(Event.class, "default", null, "involvedObject.name=web,reason=Pulled,source=kubelet"))
                .singleElement().satisfies(x -> assertThat(x.getCount()).isEqualTo(1));

        f.clock.advance(Duration.ofMinutes(10)); // expiry passes have read the event as last seen at 02:00
        Event later = new EventBuilder(e).withCount(2).withLastTimestamp("2026-11-22T02:10:00Z").build();
        f.reg.events().update(later);
        f.drain();
        assertThat(f.reg.get(Event.class, "default", "web.1").getCount()).isEqualTo(2);

        f.clock.advance(Duration.ofMinutes(59)); // an hour after 02:00, not after the refresh
        assertThat(f.reg.get(Event.class, "default", "web.1")).isNotNull();
        assertThat(f.reg.get(Event.class, "default", "web.1")).isNotNull();
        f.clock.advance(Duration.ofMinutes(2));
        assertThat(f.reg.get(Event.class, "default", "web.1")).isNull();

        Event again = new EventBuilder(later).withCount(3).withLastTimestamp("2026-11-22T03:11:00Z").build();
        f.reg.events().update(again);
        f.drain();
        assertThat(f.reg.get(Event.class, "default", "web.1").getCount()).isEqualTo(3);
    }

    @Test
    void upsertNodeRegistersThenUpdatesKeepingIdentity() {
        Node n = new NodeBuilder().withNewMetadata().withName("node-1").addToLabels("kubernetes.io/hostname", "node-1")
                .endMetadata().withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addToCapacity("cpu", new io.fabric8.kubernetes.api.model.Quantity("2")).endStatus().build();
        Node first = f.reg.upsertNode(n);
        assertThat(first.getMetadata().getUid()).isNotNull();
        assertThat(first.getStatus().getConditions()).singleElement().satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
        n.getStatus().getConditions().getFirst().setStatus("False");
        Node second = f.reg.upsertNode(n);
        assertThat(second.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
        assertThat(second.getStatus().getConditions().getFirst().getStatus()).isEqualTo("False");
        assertThat(Fixture.rv(second)).isGreaterThan(Fixture.rv(first));
        assertThat(Fixture.rv(f.reg.upsertNode(n))).isEqualTo(Fixture.rv(second));
    }
}
