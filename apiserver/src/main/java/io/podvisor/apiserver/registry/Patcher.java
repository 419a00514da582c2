package io.podvisor.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.patch.PatchType;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.apiserver.registry.BodyDecoder.Decoded;
import io.podvisor.apiserver.registry.Registry.FieldValidation;
import io.podvisor.apiserver.registry.Registry.Part;
import io.podvisor.apiserver.registry.Registry.WriteOptions;
import io.podvisor.apiserver.registry.Registry.WriteResult;
import io.podvisor.store.RevisionConflictException;
import java.util.ArrayList;
import java.util.List;

/**
 * PATCH as a read-modify-write loop: the patch applies to the latest object and the result goes
 * through the update path; a store conflict re-reads and re-applies. A resourceVersion the patch
 * sets is a precondition. Server-side apply to a missing object creates it.
 */
final class Patcher {

    private static final int ATTEMPTS = 16;

    private final Context ctx;
    private final PatchEngine engine;
    private final BodyDecoder decoder;
    private final Creator creator;
    private final Updater updater;

    Patcher(Context ctx, PatchEngine engine, BodyDecoder decoder, Creator creator, Updater updater) {
        this.ctx = ctx;
        this.engine = engine;
        this.decoder = decoder;
        this.creator = creator;
        this.updater = updater;
    }

    WriteResult patch(ResourceType type, String namespace, String name, PatchType patchType, byte[] body,
            WriteOptions options, Part part) {
        FieldValidation mode = options.fieldValidation() == null ? FieldValidation.STRICT : options.fieldValidation();
        List<String> duplicates = PatchDuplicates.find(patchType, body, mode);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Stored current = ctx.find(type, namespace, name);
            if (current == null) {
                if (patchType != PatchType.APPLY || part != Part.MAIN) {
                    throw Context.notFound(type, name);
                }
                try {
                    return applyCreate(type, namespace, name, body, options, duplicates, mode);
                } catch (ApiException.AlreadyExists e) {
                    continue;
                }
            }
            JsonNode patched = engine.apply(patchType, ctx.codec.tree(current.object()), body, type, options, ctx.now());
            List<String> repeated = repeated(type, patchType, body, patched, duplicates, mode);
            Decoded d = decoder.decode(type, patched, options.fieldValidation());
            Updater.checkIdentity(type, namespace, name, d.object());
            Updater.checkPrecondition(type, name, Updater.emptyToNull(d.object().getMetadata().getResourceVersion()), current);
            HasMetadata next = Parts.merge(ctx.codec, type, part, current.object(), d.object());
            try {
                return updater.commit(type, current, next, recordable(patchType, options), part,
                        concat(repeated, d.warnings()), true);
            } catch (RevisionConflictException e) {
                // changed meanwhile: apply again to the newer object
            }
        }
        throw Context.conflict(type, name);
    }

    private WriteResult applyCreate(ResourceType type, String namespace, String name, byte[] body, WriteOptions options,
            List<String> duplicates, FieldValidation mode) {
        JsonNode applied = engine.apply(PatchType.APPLY, null, body, type, options, ctx.now());
        List<String> repeated = repeated(type, PatchType.APPLY, body, applied, duplicates, mode);
        Decoded d = decoder.decode(type, applied, options.fieldValidation());
        Updater.checkIdentity(type, namespace, name, d.object());
        d.object().getMetadata().setResourceVersion(null);
        return creator.create(type, namespace, d.object(), recordable(PatchType.APPLY, options),
                concat(repeated, d.warnings()));
    }

    /** The warnings for the keys the patch repeats; under Strict a patch that repeats keys is refused ({@link PatchDuplicates}). */
    private List<String> repeated(ResourceType type, PatchType patchType, byte[] body, JsonNode patched,
            List<String> duplicates, FieldValidation mode) {
        List<String> unknown = duplicates.isEmpty() || mode != FieldValidation.STRICT
                ? List.of() : decoder.unknownFields(type, patched);
        return PatchDuplicates.check(patchType, body, patched, duplicates, unknown, mode);
    }

    private static List<String> concat(List<String> first, List<String> then) {
        if (first.isEmpty()) {
            return then;
        }
        List<String> all = new ArrayList<>(first);
        all.addAll(then);
        return List.copyOf(all);
    }

    /** Server-side apply records its own managedFields entry; no Update entry is added for it. */
    private static WriteOptions recordable(PatchType patchType, WriteOptions options) {
        return patchType == PatchType.APPLY
                ? new WriteOptions(options.dryRun(), null, options.fieldValidation(), options.force())
                : options;
    }
}
