package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.errors.FieldError;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.validation.Defaults;
import io.podvisor.api.validation.Validation;
import io.podvisor.apiserver.registry.Registry.Part;
import io.podvisor.apiserver.registry.Registry.WriteOptions;
import io.podvisor.apiserver.registry.Registry.WriteResult;
import io.podvisor.store.KeyNotFoundException;
import io.podvisor.store.RevisionConflictException;
import io.podvisor.store.Store;
import java.util.Arrays;
import java.util.List;

/**
 * The update path shared by PUT, PATCH and the in-process clients: optimistic concurrency, the
 * main/status split, immutable system fields, generation, defaulting, validation, no-op detection
 * (an unchanged object keeps its resourceVersion) and deletion of an object whose last finalizer
 * went away.
 */
final class Updater {

    private static final int ATTEMPTS = 16;

    private final Context ctx;
    private final Remover remover;

    Updater(Context ctx, Remover remover) {
        this.ctx = ctx;
        this.remover = remover;
    }

    /** PUT: {@code incoming} (owned by this call) replaces {@code part}; its resourceVersion, if set, is a precondition. */
    WriteResult update(ResourceType type, String namespace, String name, HasMetadata incoming, WriteOptions options,
            Part part, List<String> warnings) {
        checkIdentity(type, namespace, name, incoming);
        String rv = emptyToNull(incoming.getMetadata().getResourceVersion());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Stored current = ctx.require(type, namespace, name);
            checkPrecondition(type, name, rv, current);
            HasMetadata next = Parts.merge(ctx.codec, type, part, current.object(), incoming);
            try {
                return commit(type, current, next, options, part, warnings, true);
            } catch (RevisionConflictException e) {
                if (rv != null) {
                    throw Context.conflict(type, name);
                }
            }
        }
        throw Context.conflict(type, name);
    }

    /** A resourceVersion precondition: Conflict unless it names the current revision. */
    static void checkPrecondition(ResourceType type, String name, String rv, Stored current) {
        if (rv != null && !rv.equals(Long.toString(current.revision()))) {
            throw Context.conflict(type, name);
        }
    }

    /** The body's name and namespace must match the request's (an empty one takes the request's). */
    static void checkIdentity(ResourceType type, String namespace, String name, HasMetadata incoming) {
        ObjectMeta m = incoming.getMetadata() == null ? new ObjectMeta() : incoming.getMetadata();
        incoming.setMetadata(m);
        if (m.getName() == null || m.getName().isEmpty()) {
            m.setName(name);
        } else if (!m.getName().equals(name)) {
            throw new ApiException.BadRequest("the name of the object (" + m.getName()
                    + ") does not match the name on the URL (" + name + ")");
        }
        if (!type.namespaced()) {
            m.setNamespace(null);
        } else if (m.getNamespace() == null || m.getNamespace().isEmpty()) {
            m.setNamespace(namespace);
        } else if (!m.getNamespace().equals(namespace)) {
            throw new ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    /**
     * Writes {@code next} over {@code current} if it is still current.
     *
     * @param validate false for system writes that bypass update validation (binding)
     * @throws RevisionConflictException when {@code current} is no longer current
     */
    WriteResult commit(ResourceType type, Stored current, HasMetadata next, WriteOptions options, Part part,
            List<String> warnings, boolean validate) {
        HasMetadata old = current.object();
        keepSystemFields(type, old, next);
        if (part == Part.MAIN) {
            UpdateManagers.record(ctx, type, old, next, options.fieldManager());
        }
        if (validate) {
            Defaults.apply(next);
            List<FieldError> errors = Validation.validate(next, old);
            if (!errors.isEmpty()) {
                throw new ApiException.Invalid(type.group(), type.kind(), old.getMetadata().getName(), errors);
            }
        }
        if (part == Part.MAIN && KindRules.tracksGeneration(type) && Parts.specChanged(ctx.codec, old, next)) {
            long g = old.getMetadata().getGeneration() == null ? 0 : old.getMetadata().getGeneration();
            next.getMetadata().setGeneration(g + 1);
        }
        byte[] bytes = ctx.codec.encode(type, next);
        if (Arrays.equals(bytes, current.entry().value())) {
            return new WriteResult(old, false, warnings);
        }
        if (options.dryRun()) {
            next.getMetadata().setResourceVersion(Long.toString(current.revision()));
            return new WriteResult(ctx.codec.copy(type, next), false, warnings);
        }
        if (deleteDuringUpdate(old, next)) {
            return new WriteResult(remover.remove(type, new Stored(next, current.entry())), false, warnings);
        }
        try {
            Store.Entry e = ctx.store.update(current.entry().key(), bytes, current.revision());
            return new WriteResult(ctx.codec.decode(type, e), false, warnings);
        } catch (KeyNotFoundException e) {
            throw Context.notFound(type, old.getMetadata().getName());
        }
    }

    /**
     * A write by the registry itself (deletion marks, binding): no defaulting, validation or
     * system-field rules; {@code next} is stored as it is if {@code current} is still current.
     *
     * @throws RevisionConflictException when {@code current} is no longer current
     */
    HasMetadata writeSystem(ResourceType type, Stored current, HasMetadata next, boolean dryRun) {
        next.getMetadata().setResourceVersion(null);
        if (dryRun) {
            return ctx.codec.withRevision(type, next, current.revision());
        }
        try {
            return ctx.codec.decode(type, ctx.store.update(current.entry().key(), ctx.codec.encode(type, next), current.revision()));
        } catch (KeyNotFoundException e) {
            throw Context.notFound(type, current.object().getMetadata().getName());
        }
    }

    private static void keepSystemFields(ResourceType type, HasMetadata old, HasMetadata next) {
        ObjectMeta o = old.getMetadata();
        ObjectMeta m = next.getMetadata();
        if (m.getUid() == null || m.getUid().isEmpty()) {
            m.setUid(o.getUid());
        } else if (!m.getUid().equals(o.getUid())) {
            throw new ApiException.Invalid(type.group(), type.kind(), o.getName(),
                    List.of(FieldError.invalid("metadata.uid", FieldError.quote(m.getUid()), "field is immutable")));
        }
        m.setName(o.getName());
        m.setNamespace(o.getNamespace());
        m.setCreationTimestamp(o.getCreationTimestamp());
        m.setDeletionTimestamp(o.getDeletionTimestamp());
        m.setDeletionGracePeriodSeconds(o.getDeletionGracePeriodSeconds());
        m.setGeneration(o.getGeneration());
        m.setResourceVersion(null);
    }

    /** An object being deleted whose grace is over and whose last finalizer went away is removed. */
    private static boolean deleteDuringUpdate(HasMetadata old, HasMetadata next) {
        ObjectMeta o = old.getMetadata();
        List<String> finalizers = next.getMetadata().getFinalizers();
        return o.getDeletionTimestamp() != null && (finalizers == null || finalizers.isEmpty())
                && (o.getDeletionGracePeriodSeconds() == null || o.getDeletionGracePeriodSeconds() == 0);
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
