package io.podvisor.client.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.podvisor.api.Yaml;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.client.ObjectClient.Listing;
import io.podvisor.api.client.ObjectClient.Subscription;
import io.podvisor.api.client.ObjectClient.WatchHandler;
import io.podvisor.api.errors.ApiException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectClient} promises, stated once and run against each transport (the
 * registry in-process, HTTPS to an API server) and any fake that claims to be one: CRUD with
 * upstream's refusals, resourceVersion preconditions, selectors, list-then-watch in order, 410 Gone
 * for a revision out of the history, the status subresource, graceful deletion and binding.
 *
 * <p>A subclass gives the client and, for transports that deliver asynchronously in virtual time,
 * a {@link #settle()} that runs what is due. Each test works in a namespace of its own.
 */
public abstract class ObjectClientContract {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    /** How long a real-time transport may take to deliver a watch event. */
    private static final Duration DELIVERY = Duration.ofSeconds(10);

    protected String ns;

    /** The client under test; each call may return the same one. */
    protected abstract ObjectClient client();

    /**
     * How many writes after a revision make a watch from it {@link ApiException.Gone}: more than the
     * watch history of the server behind the client; 0 where that would take too long (a server
     * with its default history), which skips that one test.
     */
    protected abstract int writesToLeaveHistory();

    /** Runs the deliveries that are due (virtual time); real-time transports need nothing. */
    protected void settle() {
    }

    @BeforeEach
    void namespace() {
        ns = "contract-" + NAMESPACES.incrementAndGet();
        client().create(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build());
        settle();
    }

    // ---- create, get, update, delete

    @Test
    void createdObjectsReadBackWithServerFields() {
        ConfigMap created = client().create(configMap("a", Map.of("app", "web"), "1"));

        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
        assertThat(created.getMetadata().getCreationTimestamp()).isNotBlank();
        ConfigMap read = client().get(ConfigMap.class, ns, "a");
        assertThat(read.getData()).containsEntry("v", "1");
        assertThat(read.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
        assertThat(read.getMetadata().getResourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());
    }

    @Test
    void updateReplacesAndMovesTheResourceVersion() {
        ConfigMap created = client().create(configMap("a", Map.of(), "1"));
        ConfigMap change = Yaml.copy(created);
        change.setData(Map.of("v", "2"));

        ConfigMap updated = client().update(change);

        assertThat(updated.getData()).containsEntry("v", "2");
        assertThat(updated.getMetadata().getResourceVersion()).isNotEqualTo(created.getMetadata().getResourceVersion());
        assertThat(client().get(ConfigMap.class, ns, "a").getData()).containsEntry("v", "2");
    }

    @Test
    void aStaleResourceVersionIsAConflict() {
        ConfigMap created = client().create(configMap("a", Map.of(), "1"));
        ConfigMap first = Yaml.copy(created);
        first.setData(Map.of("v", "2"));
        client().update(first);
        ConfigMap stale = Yaml.copy(created);
        stale.setData(Map.of("v", "3"));

        assertThatThrownBy(() -> client().update(stale)).isInstanceOf(ApiException.Conflict.class)
                .hasMessage("Operation cannot be fulfilled on configmaps \"a\": the object has been modified; "
                        + "please apply your changes to the latest version and try again");
        assertThat(client().get(ConfigMap.class, ns, "a").getData()).containsEntry("v", "2");
    }

    @Test
    void creatingAnExistingNameIsAlreadyExists() {
        client().create(configMap("a", Map.of(), "1"));

        assertThatThrownBy(() -> client().create(configMap("a", Map.of(), "2")))
                .isInstanceOf(ApiException.AlreadyExists.class).hasMessage("configmaps \"a\" already exists");
    }

    @Test
    void aMissingObjectIsNullOnGetAndNotFoundElsewhere() {
        assertThat(client().get(ConfigMap.class, ns, "absent")).isNull();
        assertThatThrownBy(() -> client().delete(ConfigMap.class, ns, "absent", null))
                .isInstanceOf(ApiException.NotFound.class).hasMessage("configmaps \"absent\" not found");
        assertThatThrownBy(() -> client().update(configMap("absent", Map.of(), "1")))
                .isInstanceOf(ApiException.NotFound.class).hasMessage("configmaps \"absent\" not found");
    }

    @Test
    void anInvalidObjectIsInvalidWithItsFieldCauses() {
        ConfigMap bad = configMap("a", Map.of(), "1");
        bad.setData(Map.of("bad key!", "x"));

        assertThatThrownBy(() -> client().create(bad)).isInstanceOfSatisfying(ApiException.Invalid.class, e -> {
            assertThat(e.getMessage()).startsWith("ConfigMap \"a\" is invalid: data[bad key!]: Invalid value: \"bad key!\"");
            assertThat(e.causes()).extracting(c -> c.getField()).containsExactly("data[bad key!]");
        });
        assertThat(client().get(ConfigMap.class, ns, "a")).isNull();
    }

    @Test
    void deleteRemovesAnObjectWithoutFinalizers() {
        client().create(configMap("a", Map.of(), "1"));

        client().delete(ConfigMap.class, ns, "a", null);

        assertThat(client().get(ConfigMap.class, ns, "a")).isNull();
    }

    @Test
    void anObjectWithAFinalizerStaysMarkedUntilTheFinalizerIsRemoved() {
        ConfigMap cm = configMap("a", Map.of(), "1");
        cm.getMetadata().setFinalizers(List.of("example.com/hold"));
        client().create(cm);

        client().delete(ConfigMap.class, ns, "a", null);

        ConfigMap marked = client().get(ConfigMap.class, ns, "a");
        assertThat(marked.getMetadata().getDeletionTimestamp()).isNotBlank();
        marked.getMetadata().setFinalizers(List.of());
        client().update(marked);
        assertThat(client().get(ConfigMap.class, ns, "a")).isNull();
    }

    @Test
    void foregroundAndOrphanDeletesLeaveTheirFinalizerForTheGarbageCollector() {
        client().create(configMap("fg", Map.of(), "1"));
        client().create(configMap("orphan", Map.of(), "1"));
        client().create(configMap("bg", Map.of(), "1"));
        String from = client().listWithVersion(ConfigMap.class, ns, null, null).resourceVersion();
        List<String> marks = new java.util.concurrent.CopyOnWriteArrayList<>();
        // seen through a watch: where a garbage collector runs, it may finish these deletions at once
        WatchHandler<ConfigMap> handler = (type, cm) -> {
            if (!type.equals("BOOKMARK") && cm.getMetadata().getDeletionTimestamp() != null) {
                marks.add(type + " " + cm.getMetadata().getName() + " " + cm.getMetadata().getFinalizers());
            }
        };

        try (Subscription ignored = client().watchFrom(ConfigMap.class, ns, null, null, from, handler)) {
            client().delete(ConfigMap.class, ns, "fg", null, "Foreground");
            client().delete(ConfigMap.class, ns, "orphan", null, "Orphan");
            client().delete(ConfigMap.class, ns, "bg", null, "Background");

            assertThat(client().get(ConfigMap.class, ns, "bg")).isNull();
            eventually(() -> assertThat(marks).startsWith("MODIFIED fg [foregroundDeletion]")
                    .contains("MODIFIED orphan [orphan]").noneMatch(m -> m.contains(" bg ")));
        }
    }

    // ---- list

    @Test
    void listFiltersByLabelAndFieldSelectorsInNameOrder() {
        client().create(pod("c", Map.of("app", "web")));
        client().create(pod("a", Map.of("app", "web", "tier", "front")));
        client().create(pod("b", Map.of("app", "db")));
        client().bind(ns, "b", "node-1");

        assertThat(names(client().list(Pod.class, ns, null, null))).containsExactly("a", "b", "c");
        assertThat(names(client().list(Pod.class, ns, "app=web", null))).containsExactly("a", "c");
        assertThat(names(client().list(Pod.class, ns, "app!=web", null))).containsExactly("b");
        assertThat(names(client().list(Pod.class, ns, "app in (web),tier", null))).containsExactly("a");
        assertThat(names(client().list(Pod.class, ns, null, "spec.nodeName=node-1"))).containsExactly("b");
        assertThat(names(client().list(Pod.class, ns, "app=web", "metadata.name=c"))).containsExactly("c");
        assertThat(client().list(Pod.class, ns + "-other", null, null)).isEmpty();
    }

    @Test
    void listTakesEverySelectorFormAndReadsAcrossNamespaces() {
        String other = ns + "-b";
        client().create(new NamespaceBuilder().withNewMetadata().withName(other).endMetadata().build());
        client().create(pod("a", Map.of("app", "web", "tier", "front", "contract", ns)));
        client().create(pod("b", Map.of("app", "db")));
        client().create(pod("c", Map.of()));
        Pod elsewhere = pod("d", Map.of("contract", ns));
        elsewhere.getMetadata().setNamespace(other);
        client().create(elsewhere);
        client().bind(ns, "a", "node-1");

        assertThat(names(client().list(Pod.class, ns, "app==web", null))).containsExactly("a");
        assertThat(names(client().list(Pod.class, ns, "tier in (back, front)", null))).containsExactly("a");
        assertThat(names(client().list(Pod.class, ns, "tier notin (front)", null))).containsExactly("b", "c");
        assertThat(names(client().list(Pod.class, ns, "app", null))).containsExactly("a", "b");
        assertThat(names(client().list(Pod.class, ns, "!app", null))).containsExactly("c");
        assertThat(names(client().list(Pod.class, ns, "app=web,tier!=front", null))).isEmpty();
        assertThat(names(client().list(Pod.class, ns, "", ""))).containsExactly("a", "b", "c");
        assertThat(names(client().list(Pod.class, ns, null, "status.phase=Pending,metadata.name!=a")))
                .containsExactly("b", "c");
        assertThat(client().list(Pod.class, null, "contract=" + ns, null))
                .extracting(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
                .containsExactlyInAnyOrder(ns + "/a", other + "/d");
    }

    @Test
    void listWithVersionReadsAtOneRevision() {
        client().create(configMap("a", Map.of(), "1"));
        ConfigMap b = client().create(configMap("b", Map.of(), "1"));

        Listing<ConfigMap> listing = client().listWithVersion(ConfigMap.class, ns, null, null);

        assertThat(names(listing.items())).containsExactly("a", "b");
        assertThat(Long.parseLong(listing.resourceVersion()))
                .isGreaterThanOrEqualTo(Long.parseLong(b.getMetadata().getResourceVersion()));
    }

    // ---- watch

    @Test
    void watchFromAListDeliversEachLaterChangeOnceInOrder() {
        client().create(configMap("before", Map.of(), "1"));
        Listing<ConfigMap> listing = client().listWithVersion(ConfigMap.class, ns, null, null);
        Recorder<ConfigMap> events = new Recorder<>();

        try (Subscription ignored = client().watchFrom(ConfigMap.class, ns, null, null, listing.resourceVersion(), events)) {
            ConfigMap a = client().create(configMap("a", Map.of(), "1"));
            ConfigMap changed = Yaml.copy(a);
            changed.setData(Map.of("v", "2"));
            ConfigMap a2 = client().update(changed);
            client().delete(ConfigMap.class, ns, "a", null);

            eventually(() -> {
                List<String> lines = events.lines();
                assertThat(lines).hasSize(3);
                assertThat(lines.subList(0, 2)).containsExactly("ADDED a " + rv(a), "MODIFIED a " + rv(a2));
                assertThat(lines.get(2)).startsWith("DELETED a ");
                // a deletion is its own revision, after the last write
                assertThat(Long.parseLong(lines.get(2).substring("DELETED a ".length())))
                        .isGreaterThan(Long.parseLong(rv(a2)));
            });
        }
    }

    @Test
    void watchFromWithASelectorSeesObjectsEnterAndLeaveIt() {
        ConfigMap a = client().create(configMap("a", Map.of("app", "db"), "1"));
        Listing<ConfigMap> listing = client().listWithVersion(ConfigMap.class, ns, "app=web", null);
        assertThat(listing.items()).isEmpty();
        Recorder<ConfigMap> events = new Recorder<>();

        try (Subscription ignored = client().watchFrom(ConfigMap.class, ns, "app=web", null, listing.resourceVersion(), events)) {
            ConfigMap in = Yaml.copy(a);
            in.getMetadata().setLabels(Map.of("app", "web"));
            ConfigMap a2 = client().update(in);
            ConfigMap out = Yaml.copy(a2);
            out.getMetadata().setLabels(Map.of("app", "db"));
            ConfigMap a3 = client().update(out);
            client().create(configMap("other", Map.of("app", "db"), "1"));
            ConfigMap last = client().create(configMap("last", Map.of("app", "web"), "1"));

            eventually(() -> assertThat(events.lines()).containsExactly(
                    "ADDED a " + rv(a2), "DELETED a " + rv(a3), "ADDED last " + rv(last)));
        }
    }

    @Test
    void aClosedWatchDeliversNothingMore() {
        Listing<ConfigMap> listing = client().listWithVersion(ConfigMap.class, ns, null, null);
        Recorder<ConfigMap> events = new Recorder<>();
        Subscription sub = client().watchFrom(ConfigMap.class, ns, null, null, listing.resourceVersion(), events);
        client().create(configMap("a", Map.of(), "1"));
        eventually(() -> assertThat(events.lines()).hasSize(1));

        sub.close();
        sub.close();
        client().create(configMap("b", Map.of(), "1"));
        Recorder<ConfigMap> witness = new Recorder<>();
        try (Subscription w = client().watchFrom(ConfigMap.class, ns, null, null, listing.resourceVersion(), witness)) {
            eventually(() -> assertThat(witness.lines()).hasSize(2)); // b was written and is visible
        }

        settle();
        assertThat(events.lines()).hasSize(1);
        assertThat(events.closedBy()).isNull();
    }

    @Test
    protected void watchFromARevisionOutOfTheHistoryIsGone() {
        Assumptions.assumeTrue(writesToLeaveHistory() > 0, "the server's watch history is too long to leave here");
        ConfigMap a = client().create(configMap("a", Map.of(), "0"));
        String old = client().listWithVersion(ConfigMap.class, ns, null, null).resourceVersion();
        for (int i = 1; i <= writesToLeaveHistory(); i++) {
            ConfigMap next = Yaml.copy(client().get(ConfigMap.class, ns, "a"));
            next.setData(Map.of("v", Integer.toString(i)));
            a = client().update(next);
        }
        Recorder<ConfigMap> events = new Recorder<>();

        Subscription sub = null;
        try {
            sub = client().watchFrom(ConfigMap.class, ns, null, null, old, events);
            eventually(() -> assertThat(events.closedBy()).isInstanceOf(ApiException.Gone.class));
        } catch (ApiException.Gone thrown) {
            events.onClosed(thrown); // refused at once: equally "list again"
        } finally {
            if (sub != null) {
                sub.close();
            }
        }

        assertThat(events.closedBy()).isInstanceOf(ApiException.Gone.class);
        assertThat(((ApiException) events.closedBy()).code()).isEqualTo(410);
        assertThat(events.lines()).isEmpty();
        String now = client().listWithVersion(ConfigMap.class, ns, null, null).resourceVersion();
        assertThat(Long.parseLong(now)).isGreaterThanOrEqualTo(Long.parseLong(rv(a)));
    }

    @Test
    void watchStartsWithTheExistingObjectsThenFollows() {
        client().create(configMap("a", Map.of(), "1"));
        Recorder<ConfigMap> events = new Recorder<>();

        try (Subscription ignored = client().watch(ConfigMap.class, ns, events)) {
            assertThat(events.lines()).hasSize(1).first().asString().startsWith("ADDED a ");
            ConfigMap b = client().create(configMap("b", Map.of(), "1"));
            eventually(() -> assertThat(events.lines()).hasSize(2).last().isEqualTo("ADDED b " + rv(b)));
        }
    }

    // ---- status, deletion, binding

    @Test
    void theStatusSubresourceWritesOnlyTheStatus() {
        Pod created = client().create(pod("p", Map.of()));

        Pod viaMain = Yaml.copy(created);
        viaMain.getStatus().setMessage("ignored");
        viaMain.getMetadata().setLabels(Map.of("kept", "yes"));
        Pod afterMain = client().update(viaMain);
        assertThat(afterMain.getStatus().getMessage()).isNull();
        assertThat(afterMain.getMetadata().getLabels()).containsEntry("kept", "yes");

        Pod viaStatus = Yaml.copy(afterMain);
        viaStatus.getStatus().setMessage("hello");
        viaStatus.getMetadata().setLabels(Map.of("dropped", "yes"));
        Pod afterStatus = client().updateStatus(viaStatus);
        assertThat(afterStatus.getStatus().getMessage()).isEqualTo("hello");
        assertThat(afterStatus.getMetadata().getLabels()).containsOnlyKeys("kept");
        assertThat(client().get(Pod.class, ns, "p").getStatus().getMessage()).isEqualTo("hello");

        Pod stale = Yaml.copy(created);
        stale.getStatus().setMessage("stale");
        assertThatThrownBy(() -> client().updateStatus(stale)).isInstanceOf(ApiException.Conflict.class);
    }

    @Test
    void deletingABoundPodMarksItForItsGracePeriodAndAGraceOfZeroRemovesIt() {
        client().create(pod("p", Map.of()));
        client().bind(ns, "p", "node-1");

        client().delete(Pod.class, ns, "p", null);

        Pod marked = client().get(Pod.class, ns, "p");
        assertThat(marked).isNotNull();
        assertThat(marked.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
        OffsetDateTime created = OffsetDateTime.parse(marked.getMetadata().getCreationTimestamp());
        OffsetDateTime deletion = OffsetDateTime.parse(marked.getMetadata().getDeletionTimestamp());
        // the deletion time is when the grace period ends (now + 30 s), not when the delete was asked
        assertThat(deletion).isAfterOrEqualTo(created.plusSeconds(29));
        assertThat(deletion).isBefore(created.plusSeconds(60));

        client().delete(Pod.class, ns, "p", 0L);

        assertThat(client().get(Pod.class, ns, "p")).isNull();
    }

    @Test
    void deletingAnUnboundPodRemovesItAtOnce() {
        client().create(pod("p", Map.of()));

        client().delete(Pod.class, ns, "p", null);

        assertThat(client().get(Pod.class, ns, "p")).isNull();
    }

    @Test
    void bindAssignsThePodOnceAndMarksItScheduled() {
        client().create(pod("p", Map.of()));

        Pod bound = client().bind(ns, "p", "node-1");

        assertThat(bound.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(bound.getStatus().getConditions()).filteredOn(c -> c.getType().equals("PodScheduled"))
                .extracting(PodCondition::getStatus).containsExactly("True");
        assertThat(client().get(Pod.class, ns, "p").getSpec().getNodeName()).isEqualTo("node-1");
        assertThatThrownBy(() -> client().bind(ns, "p", "node-2")).isInstanceOf(ApiException.Conflict.class)
                .hasMessageContaining("pod p is already assigned to node \"node-1\"");
        assertThatThrownBy(() -> client().bind(ns, "absent", "node-1")).isInstanceOf(ApiException.NotFound.class)
                .hasMessage("pods \"absent\" not found");
    }

    // ---- helpers

    protected ConfigMap configMap(String name, Map<String, String> labels, String value) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
                .withData(Map.of("v", value)).build();
    }

    /**
     * A pod no scheduler picks up (a scheduler name nobody serves), so an API server with its
     * controllers running leaves it unbound until the test binds it, to a node no kubelet runs.
     */
    protected Pod pod(String name, Map<String, String> labels) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withSchedulerName("contract-unscheduled").addNewContainer().withName("main").withImage("busybox").endContainer().endSpec()
                .withNewStatus().endStatus().build();
    }

    /** Runs {@code assertion} until it holds, letting due deliveries run in between. */
    protected void eventually(Runnable assertion) {
        await().atMost(DELIVERY).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
            settle();
            assertion.run();
        });
    }

    private static List<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).toList();
    }

    private static String rv(HasMetadata o) {
        return o.getMetadata().getResourceVersion();
    }

    /** Records a watch's events (bookmarks left out) as {@code TYPE name resourceVersion}, and how it ended. */
    public static final class Recorder<T extends HasMetadata> implements WatchHandler<T> {
        private final List<String> lines = new ArrayList<>();
        private final AtomicReference<RuntimeException> closedBy = new AtomicReference<>();

        @Override
        public synchronized void onEvent(String type, T object) {
            if (!type.equals("BOOKMARK")) {
                lines.add(type + " " + object.getMetadata().getName() + " " + rv(object));
            }
        }

        @Override
        public void onClosed(RuntimeException cause) {
            closedBy.set(cause);
        }

        public synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        public RuntimeException closedBy() {
            return closedBy.get();
        }
    }
}
