package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry.WriteOptions;
import java.util.List;

/**
 * Creates the system namespaces ({@code default}, {@code kube-system}, {@code kube-public},
 * {@code kube-node-lease}), each with its {@code default} ServiceAccount, and the API's own
 * {@code kubernetes} Service ({@code 10.96.0.1:443} in {@code default}), when missing. Idempotent:
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
        if (ctx.find(ResourceTypes.SERVICES, "default", KUBERNETES) == null) {
            try {
                creator.create(ResourceTypes.SERVICES, "default", kubernetesService(), WriteOptions.DEFAULT, List.of());
            } catch (ApiException.AlreadyExists e) {
                // created concurrently
            }
        }
    }

    static final String KUBERNETES = "kubernetes";

    /** The selector-less service every cluster has; its endpoints name the API server itself. */
    private static io.fabric8.kubernetes.api.model.Service kubernetesService() {
        return new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata().withName(KUBERNETES).withNamespace("default")
                .addToLabels("component", "apiserver").addToLabels("provider", "kubernetes").endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("10.96.0.1")
                .addNewPort().withName("https").withProtocol("TCP").withPort(443)
                .withNewTargetPort(6443).endPort().endSpec().build();
    }
}
