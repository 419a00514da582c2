package io.podvisor.apiserver.http;

import io.podvisor.api.resources.ResourceType;
import java.util.List;
import java.util.Optional;

/**
 * A parsed resource URL below {@code /api/v1} or {@code /apis/<group>/<version>}:
 * {@code [namespaces/{ns}/]{plural}[/{name}[/{subresource}]]}; a namespaced {@code proxy} subresource
 * may be followed by the path it forwards (read from the raw URI by {@link ProxyEndpoint}).
 *
 * @param namespace null for cluster-scoped types and all-namespaces collections
 * @param name null for a collection
 * @param subresource null for the object itself
 */
record ResourcePath(ResourceType type, String namespace, String name, String subresource) {

    boolean collection() {
        return name == null;
    }

    /** Parses the segments after the group-version; empty when they name nothing served. */
    static Optional<ResourcePath> parse(List<ResourceType> types, String group, String version, List<String> rest) {
        if (rest.isEmpty() || rest.stream().anyMatch(String::isEmpty)) {
            return Optional.empty();
        }
        if (namespacedRoute(types, group, version, rest)) {
            if (rest.size() > 5 && !rest.get(4).equals("proxy")) { // a proxy path goes on
                return Optional.empty();
            }
            return find(types, group, version, rest.get(2))
                    .filter(ResourceType::namespaced)
                    .flatMap(t -> build(t, rest.get(1), rest, 3));
        }
        if (rest.size() > 3) {
            return Optional.empty();
        }
        Optional<ResourceType> type = find(types, group, version, rest.getFirst());
        if (type.isEmpty() || (type.get().namespaced() && rest.size() > 1)) {
            return Optional.empty();
        }
        return build(type.get(), null, rest, 1);
    }

    private static boolean namespacedRoute(List<ResourceType> types, String group, String version, List<String> rest) {
        if (!rest.getFirst().equals("namespaces") || rest.size() < 3) {
            return false;
        }
        if (rest.size() == 3) {
            Optional<ResourceType> ns = find(types, group, version, "namespaces");
            return ns.isEmpty() || !ns.get().hasSubresource(rest.get(2));
        }
        return true;
    }

    private static Optional<ResourcePath> build(ResourceType type, String namespace, List<String> rest, int nameAt) {
        String name = rest.size() > nameAt ? rest.get(nameAt) : null;
        String sub = rest.size() > nameAt + 1 ? rest.get(nameAt + 1) : null;
        if (sub != null && !type.hasSubresource(sub)) {
            return Optional.empty();
        }
        return Optional.of(new ResourcePath(type, namespace, name, sub));
    }

    private static Optional<ResourceType> find(List<ResourceType> types, String group, String version, String plural) {
        return types.stream()
                .filter(t -> t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
                .findFirst();
    }
}
