package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry.WriteOptions;
import java.util.List;

/**
 * Creates the system namespaces ({@code default}, {@code kube-system}, {@code kube-public},
 * {@code kube-node-lease}), each with its {@code default} ServiceAccount, when missing. Idempotent:
 * running it again on the same store changes nothing.
 */
final class Bootstrap {

    static final List<String> NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private final Context ctx;
    private final Creator creator;

    Bootstrap(Context ctx, Creator creator) {
        this.ctx = ctx;
        this.creator = creator;
    }

    void run() {
        for (String name : NAMESPACES) {
            if (ctx.find(ResourceTypes.NAMESPACES, null, name) == null) {
                try {
                    creator.create(ResourceTypes.NAMESPACES, null,
                            new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build(),
                            WriteOptions.DEFAULT, List.of());
                } catch (ApiException.AlreadyExists e) {
                    // created concurrently
                }
            }
            creator.ensureDefaultServiceAccount(name);
        }
    }
}
