package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.errors.FieldError;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.api.validation.Defaults;
import io.podvisor.api.validation.Validation;
import io.podvisor.apiserver.registry.Registry.WriteOptions;
import io.podvisor.apiserver.registry.Registry.WriteResult;
import io.podvisor.store.KeyExistsException;
import io.podvisor.store.Store;
import java.util.List;
import java.util.UUID;

/**
 * The create path: namespace resolution and checks, {@code generateName}, system fields (uid,
 * creationTimestamp, generation), defaulting, per-kind preparation, validation, cluster IP, then
 * one store write. Nothing is written unless every step passed. New namespaces get their
 * {@code default} ServiceAccount.
 */
final class Creator {

    private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
    private static final int GENERATE_ATTEMPTS = 8;

    private final Context ctx;
    private final ClusterIps clusterIps;

    Creator(Context ctx, ClusterIps clusterIps) {
        this.ctx = ctx;
        this.clusterIps = clusterIps;
    }

    /**
     * Creates {@code object} (owned by this call).
     *
     * @param urlNamespace the namespace of the request path, or null when taken from the object
     */
    WriteResult create(ResourceType type, String urlNamespace, HasMetadata object, WriteOptions options, List<String> warnings) {
        ObjectMeta meta = object.getMetadata() == null ? new ObjectMeta() : object.getMetadata();
        object.setMetadata(meta);
        resolveNamespace(type, urlNamespace, meta);
        if (type.namespaced()) {
            checkNamespaceWritable(type, meta);
        }
        boolean generated = (meta.getName() == null || meta.getName().isEmpty())
                && meta.getGenerateName() != null && !meta.getGenerateName().isEmpty();
        for (int attempt = 0; ; attempt++) {
            if (generated) {
                meta.setName(meta.getGenerateName() + randomSuffix());
            }
            try {
                return createOnce(type, object, options, warnings);
            } catch (ApiException.AlreadyExists e) {
                if (!generated || attempt >= GENERATE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private WriteResult createOnce(ResourceType type, HasMetadata object, WriteOptions options, List<String> warnings) {
        ObjectMeta meta = object.getMetadata();
        if (meta.getName() == null || meta.getName().isEmpty()) {
            throw new ApiException.Invalid(type.group(), type.kind(), "",
                    List.of(FieldError.required("metadata.name", "name or generateName is required")));
        }
        fillSystemFields(type, meta);
        Defaults.apply(object);
        KindRules.prepareForCreate(object);
        UpdateManagers.record(ctx, type, null, object, options.fieldManager());
        List<FieldError> errors = Validation.validate(object, null);
        if (!errors.isEmpty()) {
            throw new ApiException.Invalid(type.group(), type.kind(), meta.getName(), errors);
        }
        String key = Keys.key(type, meta.getNamespace(), meta.getName());
        String ip = object instanceof Service s ? clusterIps.assign(s) : null;
        try {
            if (options.dryRun()) {
                if (ctx.store.get(key).isPresent()) {
                    throw new ApiException.AlreadyExists(type.group(), type.plural(), meta.getName());
                }
                return new WriteResult(ctx.codec.copy(type, object), true, warnings);
            }
            Store.Entry entry = ctx.store.create(key, ctx.codec.encode(type, object));
            afterCreate(object);
            return new WriteResult(ctx.codec.decode(type, entry), true, warnings);
        } catch (KeyExistsException e) {
            throw new ApiException.AlreadyExists(type.group(), type.plural(), meta.getName());
        } finally {
            clusterIps.release(ip);
        }
    }

    private void fillSystemFields(ResourceType type, ObjectMeta meta) {
        meta.setUid(randomUuid());
        meta.setCreationTimestamp(ctx.now());
        meta.setResourceVersion(null);
        meta.setDeletionTimestamp(null);
        meta.setDeletionGracePeriodSeconds(null);
        meta.setGeneration(KindRules.tracksGeneration(type) ? 1L : null);
    }

    private void resolveNamespace(ResourceType type, String urlNamespace, ObjectMeta meta) {
        if (!type.namespaced()) {
            meta.setNamespace(null);
            return;
        }
        String own = meta.getNamespace();
        if (own == null || own.isEmpty()) {
            meta.setNamespace(urlNamespace == null || urlNamespace.isEmpty() ? "default" : urlNamespace);
        } else if (urlNamespace != null && !urlNamespace.isEmpty() && !urlNamespace.equals(own)) {
            throw new ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    private void checkNamespaceWritable(ResourceType type, ObjectMeta meta) {
        Stored ns = ctx.find(ResourceTypes.NAMESPACES, null, meta.getNamespace());
        if (ns == null) {
            throw new ApiException.NotFound("", "namespaces", meta.getNamespace());
        }
        if (KindRules.terminating((Namespace) ns.object())) {
            String name = meta.getName() == null || meta.getName().isEmpty() ? "" : meta.getName();
            throw new ApiException.Forbidden(type.group(), type.plural(), name,
                    type.qualifiedName() + " \"" + name + "\" is forbidden: unable to create new content in namespace "
                            + meta.getNamespace() + " because it is being terminated");
        }
    }

    private void afterCreate(HasMetadata object) {
        if (object instanceof Namespace ns) {
            ensureDefaultServiceAccount(ns.getMetadata().getName());
        }
    }

    /** Creates the {@code default} ServiceAccount of a namespace unless it exists. */
    void ensureDefaultServiceAccount(String namespace) {
        if (ctx.find(ResourceTypes.SERVICE_ACCOUNTS, namespace, "default") != null) {
            return;
        }
        ServiceAccount sa = new ServiceAccountBuilder().withNewMetadata().withName("default").withNamespace(namespace)
                .endMetadata().build();
        try {
            create(ResourceTypes.SERVICE_ACCOUNTS, namespace, sa, WriteOptions.DEFAULT, List.of());
        } catch (ApiException.AlreadyExists e) {
            // created concurrently: fine
        }
    }

    private String randomUuid() {
        long msb = (ctx.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (ctx.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    private String randomSuffix() {
        StringBuilder b = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            b.append(NAME_CHARS.charAt(ctx.nextInt(NAME_CHARS.length())));
        }
        return b.toString();
    }
}
