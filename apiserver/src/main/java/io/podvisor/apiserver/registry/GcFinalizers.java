package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The finalizers a delete leaves for the garbage collector, decided as upstream's generic registry
 * decides them: {@code orphanDependents}, then {@code propagationPolicy}, then a GC finalizer the
 * object already carries, then the kind's default. The default is to orphan for batch/v1 Jobs
 * (kept from before garbage collection, as upstream keeps it) and background for everything else.
 */
public final class GcFinalizers {

    /** Set by an orphaning delete; the garbage collector strips the references to the owner, then this. */
    static final String ORPHAN = "orphan";
    /** Set by a foreground delete; the garbage collector deletes the dependents, waits for blocking ones, then this. */
    static final String FOREGROUND = "foregroundDeletion";

    private GcFinalizers() {
    }

    /** The object's finalizers after a delete with {@code options}: its own, with at most one GC finalizer. */
    static List<String> forDelete(ResourceType type, List<String> current, DeleteOptions options) {
        List<String> next = new ArrayList<>();
        if (current != null) {
            current.stream().filter(f -> !ORPHAN.equals(f) && !FOREGROUND.equals(f)).forEach(next::add);
        }
        if (orphans(type, current, options)) {
            next.add(ORPHAN);
        } else if (foreground(current, options)) {
            next.add(FOREGROUND);
        }
        return next;
    }

    /** True if both lists hold the same finalizers (null = none). */
    static boolean same(List<String> a, List<String> b) {
        return new HashSet<>(a == null ? List.of() : a).equals(new HashSet<>(b == null ? List.of() : b));
    }

    /** Upstream's warning on a Job delete that leaves the policy to the batch/v1 default. */
    public static final String JOB_DEFAULT_ORPHANS = "child pods are preserved by default when jobs are deleted; "
            + "set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning";

    /** True if the kind orphans its dependents when a delete names no policy. */
    static boolean orphansByDefault(ResourceType type) {
        return type == ResourceTypes.JOBS;
    }

    /** The warnings of a delete (or delete-collection) request: a Job's default orphaning, as upstream warns. */
    public static List<String> deleteWarnings(ResourceType type, DeleteOptions options) {
        boolean defaulted = options == null || options.getPropagationPolicy() == null && options.getOrphanDependents() == null;
        return defaulted && orphansByDefault(type) ? List.of(JOB_DEFAULT_ORPHANS) : List.of();
    }

    private static boolean orphans(ResourceType type, List<String> current, DeleteOptions options) {
        if (options.getOrphanDependents() != null) {
            return options.getOrphanDependents();
        }
        String policy = options.getPropagationPolicy();
        if (policy != null) {
            return "Orphan".equals(policy);
        }
        String own = ownGcFinalizer(current);
        return own != null ? ORPHAN.equals(own) : orphansByDefault(type);
    }

    private static boolean foreground(List<String> current, DeleteOptions options) {
        if (options.getOrphanDependents() != null) {
            return false;
        }
        String policy = options.getPropagationPolicy();
        if (policy != null) {
            return "Foreground".equals(policy);
        }
        return FOREGROUND.equals(ownGcFinalizer(current));
    }

    private static String ownGcFinalizer(List<String> current) {
        if (current == null) {
            return null;
        }
        return current.stream().filter(f -> ORPHAN.equals(f) || FOREGROUND.equals(f)).findFirst().orElse(null);
    }
}
