package io.podvisor.apiserver.registry;

import static io.podvisor.apiserver.registry.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Preconditions;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry.DeleteResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeleteTest {

    private final Fixture f = new Fixture();

    private Pod boundPod(String name) {
        f.createPod("default", name);
        return f.reg.bind("default", name, "node-1");
    }

    private static DeleteOptions grace(Long g) {
        DeleteOptions o = new DeleteOptions();
        o.setGracePeriodSeconds(g);
        return o;
    }

    @Test
    void unboundPodGoesAtOnce() {
        f.createPod("default", "web");
        DeleteResult r = f.reg.delete(ResourceTypes.PODS, "default", "web", null);
        assertThat(r.gone()).isTrue();
        assertThat(f.reg.get(Pod.class, "default", "web")).isNull();
    }

    @Test
    void boundPodIsDeletedGracefullyThenFinally() {
        Pod p = boundPod("web");
        DeleteResult r = f.reg.delete(ResourceTypes.PODS, "default", "web", null);
        assertThat(r.gone()).isFalse();
        assertThat(r.object().getMetadata().getDeletionTimestamp()).isEqualTo("2026-11-22T02:00:30Z");
        assertThat(r.object().getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);

        DeleteResult longer = f.reg.delete(ResourceTypes.PODS, "default", "web", grace(60L));
        assertThat(longer.object().getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
        assertThat(longer.object().getMetadata().getResourceVersion()).isEqualTo(r.object().getMetadata().getResourceVersion());
        DeleteResult shorter = f.reg.delete(ResourceTypes.PODS, "default", "web", grace(5L));
        assertThat(shorter.object().getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(5L);
        assertThat(shorter.object().getMetadata().getDeletionTimestamp()).isEqualTo("2026-11-22T02:00:05Z");

        f.reg.deletePodFinal("default", "web", "not-the-uid");
        assertThat(f.reg.get(Pod.class, "default", "web")).isNotNull();
        f.reg.deletePodFinal("default", "web", p.getMetadata().getUid());
        assertThat(f.reg.get(Pod.class, "default", "web")).isNull();
        f.reg.deletePodFinal("default", "web", p.getMetadata().getUid());
    }

    @Test
    void terminalOrForcedPodGoesAtOnce() {
        Pod p = boundPod("done");
        p.getStatus().setPhase("Succeeded");
        f.reg.updateStatus(p);
        assertThat(f.reg.delete(ResourceTypes.PODS, "default", "done", null).gone()).isTrue();
        boundPod("forced");
        assertThat(f.reg.delete(ResourceTypes.PODS, "default", "forced", grace(0L)).gone()).isTrue();
    }

    @Test
    void aNegativeGracePeriodMeansOneSecond() {
        boundPod("web");
        DeleteResult r = f.reg.delete(ResourceTypes.PODS, "default", "web", grace(-7L));
        assertThat(r.gone()).isFalse();
        assertThat(r.object().getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(1L);
        assertThat(r.object().getMetadata().getDeletionTimestamp()).isEqualTo("2026-11-22T02:00:01Z");
    }

    @Test
    void preconditions() {
        f.createPod("default", "web");
        DeleteOptions o = new DeleteOptions();
        Preconditions pre = new Preconditions();
        pre.setUid("x");
        o.setPreconditions(pre);
        assertThatThrownBy(() -> f.reg.delete(ResourceTypes.PODS, "default", "web", o))
                .isInstanceOf(ApiException.Conflict.class)
                .hasMessageMatching("Operation cannot be fulfilled on Pod \"web\": the UID in the precondition \\(x\\) does "
                        + "not match the UID in record \\([0-9a-f-]+\\)\\. The object might have been deleted and then recreated");
        pre.setUid(null);
        pre.setResourceVersion("1");
        assertThatThrownBy(() -> f.reg.delete(ResourceTypes.PODS, "default", "web", o))
                .isInstanceOf(ApiException.Conflict.class)
                .hasMessageMatching("Operation cannot be fulfilled on Pod \"web\": the ResourceVersion in the precondition "
                        + "\\(1\\) does not match the ResourceVersion in record \\(\\d+\\)\\. The object might have been modified");
        assertThat(f.reg.get(Pod.class, "default", "web")).isNotNull();
        assertThatThrownBy(() -> f.reg.delete(ResourceTypes.PODS, "default", "nope", null)).isInstanceOf(ApiException.NotFound.class);
    }

    @Test
    void finalizersOnlyMark() {
        f.create(ResourceTypes.CONFIGMAPS, "default", "{'metadata':{'name':'c','finalizers':['a/b','c/d']}}");
        DeleteResult r = f.reg.delete(ResourceTypes.CONFIGMAPS, "default", "c", null);
        assertThat(r.gone()).isFalse();
        f.mergePatch(ResourceTypes.CONFIGMAPS, "default", "c", "{'metadata':{'finalizers':['c/d']}}");
        assertThat(f.reg.get(ConfigMap.class, "default", "c")).isNotNull();
        f.mergePatch(ResourceTypes.CONFIGMAPS, "default", "c", "{'metadata':{'finalizers':[]}}");
        assertThat(f.reg.get(ConfigMap.class, "default", "c")).isNull();
    }

    @Test
    void dryRunDeleteKeepsObject() {
        f.createPod("default", "web");
        DeleteOptions o = new DeleteOptions();
        o.setDryRun(List.of("All"));
        long rev = f.store.currentRevision();
        assertThat(f.reg.delete(ResourceTypes.PODS, "default", "web", o).gone()).isTrue();
        assertThat(f.store.currentRevision()).isEqualTo(rev);
        assertThat(f.reg.get(Pod.class, "default", "web")).isNotNull();
    }

    @Test
    void namespaceDeletionEmptiesItThenGoes() {
        f.create(ResourceTypes.NAMESPACES, null, "{'metadata':{'name':'team'}}");
        f.createPod("team", "web");
        f.reg.bind("team", "web", "node-1");
        f.create(ResourceTypes.CONFIGMAPS, "team", "{'metadata':{'name':'c'}}");
        DeleteResult r = f.reg.delete(ResourceTypes.NAMESPACES, null, "team", null);
        assertThat(r.gone()).isFalse();
        assertThat(((Namespace) f.get(ResourceTypes.NAMESPACES, null, "team")).getStatus().getPhase()).isEqualTo("Terminating");
        assertThat(f.reg.get(ConfigMap.class, "team", "c")).isNull();
        Pod p = f.reg.get(Pod.class, "team", "web");
        assertThat(p.getMetadata().getDeletionTimestamp()).isNotNull();
        f.reg.deletePodFinal("team", "web", p.getMetadata().getUid());
        assertThat(f.reg.get(Namespace.class, null, "team")).isNull();
    }

    @Test
    void systemNamespacesCannotBeDeleted() {
        assertThatThrownBy(() -> f.reg.delete(ResourceTypes.NAMESPACES, null, "default", null))
                .isInstanceOf(ApiException.Forbidden.class)
                .hasMessage("namespaces \"default\" is forbidden: this namespace may not be deleted");
    }

    private Registry.DeleteResult deleteJob(String name, DeleteOptions options) {
        f.create(ResourceTypes.JOBS, "default", "{'metadata':{'name':'" + name + "'},'spec':{'template':{'spec':"
                + "{'restartPolicy':'Never','containers':[{'name':'c','image':'i'}]}}}}");
        return f.reg.delete(ResourceTypes.JOBS, "default", name, options);
    }

    private static DeleteOptions propagation(String policy) {
        DeleteOptions o = new DeleteOptions();
        o.setPropagationPolicy(policy);
        return o;
    }

    @Test
    void orphaningAndForegroundDeletesLeaveTheOwnerToTheGarbageCollector() {
        DeleteResult orphan = deleteJob("orphan", propagation("Orphan"));
        assertThat(orphan.gone()).isFalse();
        assertThat(orphan.object().getMetadata().getFinalizers()).containsExactly("orphan");
        assertThat(orphan.object().getMetadata().getDeletionTimestamp()).isEqualTo("2026-11-22T02:00:00Z");
        assertThat(orphan.object().getMetadata().getDeletionGracePeriodSeconds()).isZero();

        DeleteResult foreground = deleteJob("fg", propagation("Foreground"));
        assertThat(foreground.gone()).isFalse();
        assertThat(foreground.object().getMetadata().getFinalizers()).containsExactly("foregroundDeletion");

        DeleteOptions orphanDependents = new DeleteOptions();
        orphanDependents.setOrphanDependents(true);
        assertThat(deleteJob("legacy", orphanDependents).object().getMetadata().getFinalizers()).containsExactly("orphan");

        assertThat(deleteJob("bg", propagation("Background")).gone()).isTrue();
        assertThat(f.get(ResourceTypes.JOBS, "default", "fg")).isNotNull();
    }

    @Test
    void batchV1JobsOrphanByDefaultOtherKindsGoInTheBackground() {
        assertThat(deleteJob("plain", new DeleteOptions()).object().getMetadata().getFinalizers())
                .containsExactly("orphan");
        f.create(ResourceTypes.CONFIGMAPS, "default", "{'metadata':{'name':'cm'}}");
        assertThat(f.reg.delete(ResourceTypes.CONFIGMAPS, "default", "cm", new DeleteOptions()).gone()).isTrue();
    }

    @Test
    void aLaterDeleteSwitchesThePolicyAndAnOwnFinalizerStays() {
        f.create(ResourceTypes.CONFIGMAPS, "default", "{'metadata':{'name':'cm','finalizers':['example.com/keep']}}");
        DeleteResult fg = f.reg.delete(ResourceTypes.CONFIGMAPS, "default", "cm", propagation("Foreground"));
        assertThat(fg.object().getMetadata().getFinalizers()).containsExactly("example.com/keep", "foregroundDeletion");
        DeleteResult again = f.reg.delete(ResourceTypes.CONFIGMAPS, "default", "cm", new DeleteOptions());
        assertThat(again.object().getMetadata().getFinalizers()).as("an own GC finalizer is the default")
                .containsExactly("example.com/keep", "foregroundDeletion");
        DeleteResult orphan = f.reg.delete(ResourceTypes.CONFIGMAPS, "default", "cm", propagation("Orphan"));
        assertThat(orphan.object().getMetadata().getFinalizers()).containsExactly("example.com/keep", "orphan");
        DeleteResult bg = f.reg.delete(ResourceTypes.CONFIGMAPS, "default", "cm", propagation("Background"));
        assertThat(bg.object().getMetadata().getFinalizers()).containsExactly("example.com/keep");
    }

    @Test
    void aGracefulPodDeleteCarriesTheForegroundFinalizer() {
        boundPod("web");
        DeleteResult r = f.reg.delete(ResourceTypes.PODS, "default", "web", propagation("Foreground"));
        assertThat(r.object().getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
        assertThat(r.object().getMetadata().getFinalizers()).containsExactly("foregroundDeletion");
    }

    @Test
    void bindSetsNodeAndConflictsWhenBound() {
        f.createPod("default", "web");
        Pod bound = f.reg.bind("default", "web", "node-1");
        assertThat(bound.getSpec().getNodeName()).isEqualTo("node-1");
        assertThat(bound.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("PodScheduled");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThatThrownBy(() -> f.reg.bind("default", "web", "node-2"))
                .isInstanceOf(ApiException.Conflict.class)
                .hasMessage("Operation cannot be fulfilled on pods/binding \"web\": pod web is already assigned to node \"node-1\"");
    }
}
