package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Preconditions;
import io.podvisor.api.Times;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry.DeleteResult;
import io.podvisor.store.KeyNotFoundException;
import io.podvisor.store.RevisionConflictException;
import java.util.List;
import java.util.Set;

/**
 * The delete path. Preconditions (uid, resourceVersion) first. Then:
 * <ul>
 *   <li>a pod that is bound, not terminal and gets a grace period above 0 is only marked
 *       ({@code deletionTimestamp} = now + grace, {@code deletionGracePeriodSeconds}; a later
 *       delete may only shorten it) and the kubelet finishes it;
 *   <li>an object with finalizers is only marked (grace 0) and goes when the last one is removed;
 *   <li>a namespace turns Terminating, its content is deleted, and it goes once empty;
 *   <li>anything else is removed now.
 * </ul>
 * Dependents are left to the garbage collector (controllers), steered as upstream's registry
 * steers it with two finalizers: an orphaning delete ({@code propagationPolicy: Orphan},
 * {@code orphanDependents: true}, or no policy for a kind whose default is to orphan: batch/v1
 * Jobs) adds {@code orphan}, a foreground one adds {@code foregroundDeletion}; either marks the
 * object instead of removing it. A background delete adds neither; the collector deletes the
 * dependents once it sees the owner gone.
 */
final class Deleter {

    private static final int ATTEMPTS = 16;
    private static final Set<String> PROTECTED = Set.of("default", "kube-system", "kube-public");

    private final Context ctx;
    private final Updater updater;
    private final Remover remover;

    Deleter(Context ctx, Updater updater, Remover remover) {
        this.ctx = ctx;
        this.updater = updater;
        this.remover = remover;
    }

    DeleteResult delete(ResourceType type, String namespace, String name, DeleteOptions options) {
        DeleteOptions o = options == null ? new DeleteOptions() : options;
        boolean dryRun = o.getDryRun() != null && o.getDryRun().contains("All");
        if (type == ResourceTypes.NAMESPACES && PROTECTED.contains(name)) {
            throw new ApiException.Forbidden("", "namespaces", name,
                    "namespaces \"" + name + "\" is forbidden: this namespace may not be deleted");
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Stored current = ctx.require(type, namespace, name);
            checkPreconditions(type, name, o.getPreconditions(), current);
            try {
                return deleteOnce(type, current, o, dryRun);
            } catch (RevisionConflictException | KeyNotFoundException e) {
                // changed or gone meanwhile: decide again on the latest state
            }
        }
        throw Context.conflict(type, name);
    }

    private DeleteResult deleteOnce(ResourceType type, Stored current, DeleteOptions options, boolean dryRun) {
        HasMetadata object = current.object();
        if (object instanceof Namespace) {
            return deleteNamespace(current, dryRun);
        }
        List<String> finalizers = GcFinalizers.forDelete(type, object.getMetadata().getFinalizers(), options);
        long grace = object instanceof Pod pod ? podGrace(pod, options.getGracePeriodSeconds()) : 0;
        if (grace > 0) {
            return new DeleteResult(markGraceful(type, current, grace, finalizers, dryRun), false);
        }
        if (!finalizers.isEmpty()) {
            return new DeleteResult(markFinalizing(type, current, finalizers, dryRun), false);
        }
        if (dryRun) {
            return new DeleteResult(object, true);
        }
        return new DeleteResult(remover.remove(type, current), true);
    }

    /** The grace period for a pod: 0 when unbound or terminal, else the request's or the pod's. */
    static long podGrace(Pod pod, Long requested) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (node == null || node.isEmpty() || "Succeeded".equals(phase) || "Failed".equals(phase)) {
            return 0;
        }
        if (requested != null) {
            return requested < 0 ? 1 : requested; // upstream: a negative grace period means 1 s
        }
        Long own = pod.getSpec().getTerminationGracePeriodSeconds();
        return own == null ? 30 : Math.max(own, 0);
    }

    private HasMetadata markGraceful(ResourceType type, Stored current, long grace, List<String> finalizers,
            boolean dryRun) {
        ObjectMeta m = current.object().getMetadata();
        boolean shorter = m.getDeletionTimestamp() == null || m.getDeletionGracePeriodSeconds() == null
                || grace < m.getDeletionGracePeriodSeconds();
        if (!shorter && GcFinalizers.same(m.getFinalizers(), finalizers)) {
            return current.object();
        }
        HasMetadata next = ctx.codec.copy(type, current.object());
        if (shorter) {
            next.getMetadata().setDeletionTimestamp(Times.format(ctx.clock.now().plusSeconds(grace)));
            next.getMetadata().setDeletionGracePeriodSeconds(grace);
        }
        next.getMetadata().setFinalizers(finalizers);
        return updater.writeSystem(type, current, next, dryRun);
    }

    private HasMetadata markFinalizing(ResourceType type, Stored current, List<String> finalizers, boolean dryRun) {
        ObjectMeta m = current.object().getMetadata();
        if (m.getDeletionTimestamp() != null && Long.valueOf(0).equals(m.getDeletionGracePeriodSeconds())
                && GcFinalizers.same(m.getFinalizers(), finalizers)) {
            return current.object();
        }
        HasMetadata next = ctx.codec.copy(type, current.object());
        if (m.getDeletionTimestamp() == null) {
            next.getMetadata().setDeletionTimestamp(ctx.now());
        }
        next.getMetadata().setDeletionGracePeriodSeconds(0L);
        next.getMetadata().setFinalizers(finalizers);
        return updater.writeSystem(type, current, next, dryRun);
    }

    private DeleteResult deleteNamespace(Stored current, boolean dryRun) {
        Namespace ns = (Namespace) ctx.codec.copy(ResourceTypes.NAMESPACES, current.object());
        HasMetadata marked = current.object();
        if (!KindRules.terminating(ns) || ns.getMetadata().getDeletionTimestamp() == null) {
            if (ns.getMetadata().getDeletionTimestamp() == null) {
                ns.getMetadata().setDeletionTimestamp(ctx.now());
                ns.getMetadata().setDeletionGracePeriodSeconds(0L);
            }
            NamespaceStatus st = ns.getStatus() == null ? new NamespaceStatus() : ns.getStatus();
            st.setPhase("Terminating");
            ns.setStatus(st);
            marked = updater.writeSystem(ResourceTypes.NAMESPACES, current, ns, dryRun);
        }
        if (dryRun) {
            return new DeleteResult(marked, false);
        }
        String name = ns.getMetadata().getName();
        deleteContent(name);
        remover.finishNamespaceIfEmpty(name);
        boolean gone = ctx.find(ResourceTypes.NAMESPACES, null, name) == null;
        return new DeleteResult(marked, gone);
    }

    private void deleteContent(String namespace) {
        for (ResourceType t : ResourceTypes.ALL_TYPES) {
            if (!t.namespaced()) {
                continue;
            }
            DeleteOptions background = new DeleteOptions();
            background.setPropagationPolicy("Background");
            for (Stored s : ctx.all(t, namespace)) {
                try {
                    delete(t, namespace, s.object().getMetadata().getName(), background);
                } catch (ApiException.NotFound e) {
                    // gone meanwhile
                }
            }
        }
    }

    private static void checkPreconditions(ResourceType type, String name, Preconditions p, Stored current) {
        if (p == null) {
            return;
        }
        ObjectMeta m = current.object().getMetadata();
        // upstream's BeforeDelete names the kind, not the resource: Operation cannot be fulfilled on Pod "web"
        if (p.getUid() != null && !p.getUid().equals(m.getUid())) {
            throw new ApiException.Conflict(type.group(), type.kind(), name, "the UID in the precondition (" + p.getUid()
                    + ") does not match the UID in record (" + m.getUid()
                    + "). The object might have been deleted and then recreated");
        }
        if (p.getResourceVersion() != null && !p.getResourceVersion().equals(m.getResourceVersion())) {
            throw new ApiException.Conflict(type.group(), type.kind(), name, "the ResourceVersion in the precondition ("
                    + p.getResourceVersion() + ") does not match the ResourceVersion in record (" + m.getResourceVersion()
                    + "). The object might have been modified");
        }
    }
}
