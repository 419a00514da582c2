package io.podvisor.apiserver.registry;

import static io.podvisor.apiserver.registry.Fixture.rv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry.ListOptions;
import io.podvisor.apiserver.registry.Registry.ListResult;
import io.podvisor.apiserver.registry.Registry.WatchEvent;
import io.podvisor.apiserver.registry.Registry.WatchHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListWatchTest {

    private final Fixture f = new Fixture();
    private final List<WatchEvent> events = new ArrayList<>();

    private static ListOptions opts(String ns, String labels, String fields, String rv, long limit, String token, boolean bookmarks) {
        return new ListOptions(ns, labels, fields, rv, limit, token, bookmarks);
    }

    private List<String> seen() {
        f.drain();
        return events.stream().map(e -> e.type() + " " + ((HasMetadata) e.object()).getMetadata().getName()).toList();
    }

    @Test
    void listFiltersByNamespaceAndSelectorsInKeyOrder() {
        f.createPod("kube-system", "b");
        f.createPod("default", "z");
        f.createPod("default", "a");
        f.mergePatch(ResourceTypes.PODS, "default", "a", "{'metadata':{'labels':{'tier':'db'}}}");
        ListResult all = f.reg.list(ResourceTypes.PODS, ListOptions.all(null));
        assertThat(all.items()).extracting(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())
                .containsExactly("default/a", "default/z", "kube-system/b");
        assertThat(all.resourceVersion()).isEqualTo(Long.toString(f.store.currentRevision()));
        assertThat(f.reg.list(ResourceTypes.PODS, ListOptions.all("default")).items()).hasSize(2);
        assertThat(f.reg.list(ResourceTypes.PODS, opts(null, "tier!=db", "metadata.namespace=default", null, 0, null, false)).items())
                .extracting(o -> o.getMetadata().getName()).containsExactly("z");
        assertThat(f.reg.list(Pod.class, null, "tier", null)).extracting(p -> p.getMetadata().getName()).containsExactly("a");
        assertThatThrownBy(() -> f.reg.list(ResourceTypes.PODS, opts(null, null, "spec.foo=x", null, 0, null, false)))
                .isInstanceOf(ApiException.BadRequest.class).hasMessage("field label not supported: spec.foo");
    }

    @Test
    void pagingWithContinue() {
        for (String n : List.of("a", "b", "c", "d", "e")) {
            f.createPod("default", n);
        }
        ListResult p1 = f.reg.list(ResourceTypes.PODS, opts("default", null, null, null, 2, null, false));
        assertThat(p1.items()).extracting(o -> o.getMetadata().getName()).containsExactly("a", "b");
        assertThat(p1.remainingItemCount()).isEqualTo(3L);
        assertThat(p1.continueToken()).isNotNull();
        ListResult p2 = f.reg.list(ResourceTypes.PODS, opts("default", null, null, null, 2, p1.continueToken(), false));
        assertThat(p2.items()).extracting(o -> o.getMetadata().getName()).containsExactly("c", "d");
        ListResult p3 = f.reg.list(ResourceTypes.PODS, opts("default", null, null, null, 2, p2.continueToken(), false));
        assertThat(p3.items()).extracting(o -> o.getMetadata().getName()).containsExactly("e");
        assertThat(p3.continueToken()).isNull();
        assertThat(p3.remainingItemCount()).isNull();
        ListResult withSelector = f.reg.list(ResourceTypes.PODS, opts("default", "app=web", null, null, 2, null, false));
        assertThat(withSelector.remainingItemCount()).isNull();
        assertThat(withSelector.continueToken()).isNotNull();

        f.createPod("default", "f");
        f.store.compact(f.store.currentRevision());
        assertThatThrownBy(() -> f.reg.list(ResourceTypes.PODS, opts("default", null, null, null, 2, p1.continueToken(), false)))
                .isInstanceOf(ApiException.Gone.class).hasMessage(Lister.CONTINUE_TOO_OLD);
        assertThatThrownBy(() -> f.reg.list(ResourceTypes.PODS, opts("default", null, null, null, 2, "garbage", false)))
                .isInstanceOf(ApiException.BadRequest.class).hasMessageStartingWith("invalid continue token: continue key is not valid: ");
    }

    @Test
    void watchWithoutVersionSendsSyntheticAddedFirst() {
        f.createPod("default", "a");
        WatchHandle h = f.reg.watch(ResourceTypes.PODS, opts("default", null, null, "0", 0, null, false), events::add);
        assertThat(events).hasSize(1);
        f.createPod("default", "b");
        f.createPod("kube-system", "other");
        assertThat(seen()).containsExactly("ADDED a", "ADDED b");
        h.close();
        f.createPod("default", "c");
        assertThat(seen()).hasSize(2);
    }

    @Test
    void watchFromVersionSendsOnlyLaterChangesAndDeletedAtDeletionRevision() {
        long listRv = rv(f.createPod("default", "a").object());
        f.mergePatch(ResourceTypes.PODS, "default", "a", "{'metadata':{'labels':{'x':'1'}}}");
        f.reg.watch(ResourceTypes.PODS, opts(null, null, null, Long.toString(listRv), 0, null, false), events::add);
        f.reg.delete(ResourceTypes.PODS, "default", "a", null);
        assertThat(seen()).containsExactly("MODIFIED a", "DELETED a");
        assertThat(rv((HasMetadata) events.get(1).object())).isEqualTo(f.store.currentRevision());
        assertThat(((HasMetadata) events.get(1).object()).getMetadata().getLabels()).containsEntry("x", "1");
    }

    @Test
    void selectorTransitionsBecomeAddedAndDeleted() {
        f.createPod("default", "a");
        f.reg.watch(ResourceTypes.PODS, opts("default", "tier=db", null, null, 0, null, false), events::add);
        f.mergePatch(ResourceTypes.PODS, "default", "a", "{'metadata':{'labels':{'tier':'db'}}}");
        f.mergePatch(ResourceTypes.PODS, "default", "a", "{'metadata':{'labels':{'x':'y'}}}");
        f.mergePatch(ResourceTypes.PODS, "default", "a", "{'metadata':{'labels':{'tier':'web'}}}");
        assertThat(seen()).containsExactly("ADDED a", "MODIFIED a", "DELETED a");
        HasMetadata deleted = (HasMetadata) events.get(2).object();
        assertThat(deleted.getMetadata().getLabels()).containsEntry("tier", "db");
        assertThat(rv(deleted)).isEqualTo(f.store.currentRevision());
    }

    @Test
    void fieldSelectorOnNameForSingleObjectWatch() {
        f.createPod("default", "a");
        f.createPod("default", "b");
        f.reg.watch(ResourceTypes.PODS, opts("default", null, "metadata.name=b", "0", 0, null, false), events::add);
        f.mergePatch(ResourceTypes.PODS, "default", "a", "{'metadata':{'labels':{'x':'1'}}}");
        f.mergePatch(ResourceTypes.PODS, "default", "b", "{'metadata':{'labels':{'x':'1'}}}");
        assertThat(seen()).containsExactly("ADDED b", "MODIFIED b");
    }

    @Test
    void tooOldVersionIsGone() {
        f.createPod("default", "a");
        long rev = f.store.currentRevision();
        f.store.compact(rev);
        assertThatThrownBy(() -> f.reg.watch(ResourceTypes.PODS, opts(null, null, null, "1", 0, null, false), events::add))
                .isInstanceOf(ApiException.Gone.class)
                .hasMessage("too old resource version: 1 (" + rev + ")")
                .satisfies(e -> assertThat(((ApiException) e).toStatus().getReason()).isEqualTo("Expired"));
    }

    @Test
    void bookmarksEveryMinuteWhenAllowed() {
        f.reg.watch(ResourceTypes.PODS, opts(null, null, null, null, 0, null, true), events::add);
        f.createPod("default", "a");
        f.drain();
        f.clock.advance(Duration.ofSeconds(59));
        assertThat(events).extracting(WatchEvent::type).containsExactly("ADDED");
        f.clock.advance(Duration.ofSeconds(1));
        assertThat(events).extracting(WatchEvent::type).containsExactly("ADDED", "BOOKMARK");
        Pod bookmark = (Pod) events.get(1).object();
        assertThat(bookmark.getKind()).isEqualTo("Pod");
        assertThat(bookmark.getMetadata().getResourceVersion()).isEqualTo(Long.toString(f.store.currentRevision()));
        assertThat(bookmark.getMetadata().getName()).isNull();
        f.clock.advance(Duration.ofSeconds(60));
        assertThat(events).hasSize(3);
    }

    @Test
    void typedWatchDeliversExistingThenChanges() {
        f.createPod("default", "a");
        List<String> got = new ArrayList<>();
        var sub = f.reg.watch(Pod.class, "default", (type, pod) -> got.add(type + " " + pod.getMetadata().getName()));
        assertThat(got).containsExactly("ADDED a");
        f.reg.delete(ResourceTypes.PODS, "default", "a", null);
        f.drain();
        assertThat(got).containsExactly("ADDED a", "DELETED a");
        sub.close();
    }
}
