package io.podvisor.apiserver.registry;

import io.podvisor.api.resources.ResourceType;

/**
 * Store keys: {@code /registry/<group or core>/<plural>/<namespace>/<name>}, without the
 * namespace segment for cluster-scoped types. Prefixes end with {@code /} so that namespace
 * {@code a} never matches {@code ab}. Both event APIs share the core events' keys ({@link EventVersions}).
 */
final class Keys {

    private Keys() {}

    /** Every object of the type. */
    static String prefix(ResourceType type) {
        ResourceType stored = EventVersions.storedAs(type);
        return "/registry/" + (stored.group().isEmpty() ? "core" : stored.group()) + "/" + stored.plural() + "/";
    }

    /** The objects of one namespace ({@code namespace} null or the type cluster-scoped: all). */
    static String prefix(ResourceType type, String namespace) {
        if (!type.namespaced() || namespace == null || namespace.isEmpty()) {
            return prefix(type);
        }
        return prefix(type) + namespace + "/";
    }

    static String key(ResourceType type, String namespace, String name) {
        return type.namespaced() ? prefix(type) + namespace + "/" + name : prefix(type) + name;
    }
}
