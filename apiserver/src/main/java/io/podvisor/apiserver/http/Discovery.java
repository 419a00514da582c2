package io.podvisor.apiserver.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Discovery documents built from the resource catalog: aggregated ({@code apidiscovery.k8s.io/v2}
 * or v2beta1 {@code APIGroupDiscoveryList}) and legacy ({@code APIVersions}, {@code APIGroupList},
 * {@code APIGroup}, {@code APIResourceList}), with short names, categories, verbs, singular names
 * and subresources.
 */
final class Discovery {

    static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    private final List<ResourceType> types;
    private final Map<String, byte[]> aggregatedJson = new ConcurrentHashMap<>();

    Discovery(List<ResourceType> types) {
        this.types = List.copyOf(types);
    }

    /** What a subresource answers with and which verbs it takes. */
    record Sub(String group, String version, String kind, List<String> verbs) {}

    static Sub subresource(ResourceType t, String name) {
        return switch (name) {
            case "status" -> new Sub(t.group(), t.version(), t.kind(), List.of("get", "patch", "update"));
            case "log" -> new Sub("", "v1", "Pod", List.of("get"));
            case "exec" -> new Sub("", "v1", "PodExecOptions", List.of("create", "get"));
            case "attach" -> new Sub("", "v1", "PodAttachOptions", List.of("create", "get"));
            case "portforward" -> new Sub("", "v1", "PodPortForwardOptions", List.of("create", "get"));
            case "proxy" -> new Sub("", "v1", t.kind() + "ProxyOptions", List.of("create", "delete", "get", "patch", "update"));
            case "eviction" -> new Sub("policy", "v1", "Eviction", List.of("create"));
            case "binding" -> new Sub("", "v1", "Binding", List.of("create"));
            case "token" -> new Sub("authentication.k8s.io", "v1", "TokenRequest", List.of("create"));
            case "finalize" -> new Sub(t.group(), t.version(), t.kind(), List.of("update"));
            default -> new Sub(t.group(), t.version(), t.kind(), List.of("get"));
        };
    }

    /** The review APIs, listed before the catalog's named groups as upstream lists them before {@code batch}. */
    static final List<ServedGroup> LEADING = ReviewApi.SERVED;
    /** The metrics API, listed last (an aggregated group of low priority). */
    static final List<ServedGroup> TRAILING = List.of(MetricsApi.SERVED);

    static boolean isMetrics(String group, String version) {
        return MetricsApi.SERVED.is(group, version);
    }

    /** The group-version answered by the server itself, if {@code group}/{@code version} is one. */
    static Optional<ServedGroup> served(String group, String version) {
        return Stream.concat(LEADING.stream(), TRAILING.stream()).filter(g -> g.is(group, version)).findFirst();
    }

    private static Optional<ServedGroup> servedGroup(String group) {
        return Stream.concat(LEADING.stream(), TRAILING.stream()).filter(g -> g.group().equals(group)).findFirst();
    }

    /** The group-versions served, core ({@code v1}) first. */
    List<String> groupVersions() {
        List<String> catalog = types.stream().map(ResourceType::apiVersion).distinct().toList();
        List<String> out = new ArrayList<>(catalog.stream().filter(gv -> !gv.contains("/")).toList());
        LEADING.forEach(g -> out.add(g.groupVersion()));
        catalog.stream().filter(gv -> gv.contains("/")).forEach(out::add);
        TRAILING.forEach(g -> out.add(g.groupVersion()));
        return out;
    }

    boolean serves(String group, String version) {
        return served(group, version).isPresent()
                || types.stream().anyMatch(t -> t.group().equals(group) && t.version().equals(version));
    }

    boolean servesGroup(String group) {
        return servedGroup(group).isPresent() || types.stream().anyMatch(t -> t.group().equals(group));
    }

    /**
     * Aggregated discovery for {@code /api} (core) or {@code /apis} (named groups), as JSON; each
     * document is built once (the catalog does not change).
     */
    byte[] aggregatedJson(boolean core, String version) {
        return aggregatedJson.computeIfAbsent((core ? "api/" : "apis/") + version, k -> Json.bytes(aggregated(core, version)));
    }

    private ObjectNode aggregated(boolean core, String version) {
        ObjectNode list = Json.object();
        list.put("kind", "APIGroupDiscoveryList");
        list.put("apiVersion", "apidiscovery.k8s.io/" + version);
        list.set("metadata", Json.object());
        ArrayNode items = list.putArray("items");
        if (!core) {
            LEADING.forEach(g -> items.add(aggregatedGroup(g)));
        }
        List<String> groups = core ? List.of("") : ResourceTypes.groups().stream().filter(this::servesGroup).toList();
        for (String g : groups) {
            ObjectNode item = items.addObject();
            item.putObject("metadata").put("name", g);
            ArrayNode versions = item.putArray("versions");
            for (String v : versionsOf(g)) {
                ObjectNode ver = versions.addObject();
                ver.put("version", v);
                ArrayNode resources = ver.putArray("resources");
                typesIn(g, v).forEach(t -> resources.add(aggregatedResource(t)));
                ver.put("freshness", "Current");
            }
        }
        if (!core) {
            TRAILING.forEach(g -> items.add(aggregatedGroup(g)));
        }
        return list;
    }

    private static ObjectNode aggregatedGroup(ServedGroup g) {
        ObjectNode item = Json.object();
        item.putObject("metadata").put("name", g.group());
        ObjectNode ver = item.putArray("versions").addObject();
        ver.put("version", g.version());
        ArrayNode resources = ver.putArray("resources");
        for (ServedGroup.Resource m : g.resources()) {
            ObjectNode r = resources.addObject();
            r.put("resource", m.plural());
            r.set("responseKind", kind(g.group(), g.version(), m.kind()));
            r.put("scope", m.namespaced() ? "Namespaced" : "Cluster");
            r.put("singularResource", m.singular());
            strings(r.putArray("verbs"), m.verbs());
        }
        ver.put("freshness", "Current");
        return item;
    }

    private ObjectNode aggregatedResource(ResourceType t) {
        ObjectNode r = Json.object();
        r.put("resource", t.plural());
        r.set("responseKind", kind(t.group(), t.version(), t.kind()));
        r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
        r.put("singularResource", t.singular());
        strings(r.putArray("verbs"), VERBS);
        if (!t.shortNames().isEmpty()) {
            strings(r.putArray("shortNames"), t.shortNames());
        }
        if (!t.categories().isEmpty()) {
            strings(r.putArray("categories"), t.categories());
        }
        if (!t.subresources().isEmpty()) {
            ArrayNode subs = r.putArray("subresources");
            for (String s : t.subresources()) {
                Sub sub = subresource(t, s);
                ObjectNode n = subs.addObject();
                n.put("subresource", s);
                n.set("responseKind", kind(sub.group(), sub.version(), sub.kind()));
                strings(n.putArray("verbs"), sub.verbs());
            }
        }
        return r;
    }

    /** Legacy {@code /api}. */
    ObjectNode apiVersions(String serverAddress) {
        ObjectNode n = Json.object();
        n.put("kind", "APIVersions");
        strings(n.putArray("versions"), versionsOf(""));
        ObjectNode cidr = n.putArray("serverAddressByClientCIDRs").addObject();
        cidr.put("clientCIDR", "0.0.0.0/0");
        cidr.put("serverAddress", serverAddress);
        return n;
    }

    /** Legacy {@code /apis}. */
    ObjectNode apiGroupList() {
        ObjectNode n = Json.object();
        n.put("kind", "APIGroupList");
        n.put("apiVersion", "v1");
        ArrayNode groups = n.putArray("groups");
        LEADING.forEach(g -> groups.add(apiGroupBody(g.group())));
        ResourceTypes.groups().stream().filter(this::servesGroup).forEach(g -> groups.add(apiGroupBody(g)));
        TRAILING.forEach(g -> groups.add(apiGroupBody(g.group())));
        return n;
    }

    /** Legacy {@code /apis/<group>}. */
    ObjectNode apiGroup(String group) {
        ObjectNode n = apiGroupBody(group);
        ObjectNode out = Json.object();
        out.put("kind", "APIGroup");
        out.put("apiVersion", "v1");
        out.setAll(n);
        return out;
    }

    private ObjectNode apiGroupBody(String g) {
        ObjectNode n = Json.object();
        n.put("name", g);
        ArrayNode versions = n.putArray("versions");
        for (String v : versionsOf(g)) {
            versions.addObject().put("groupVersion", g + "/" + v).put("version", v);
        }
        String preferred = versionsOf(g).getFirst();
        n.putObject("preferredVersion").put("groupVersion", g + "/" + preferred).put("version", preferred);
        return n;
    }

    /** Legacy {@code /api/v1} or {@code /apis/<group>/<version>}. */
    ObjectNode resourceList(String group, String version) {
        ObjectNode n = Json.object();
        n.put("kind", "APIResourceList");
        n.put("apiVersion", "v1");
        n.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = n.putArray("resources");
        for (ServedGroup.Resource m : served(group, version).map(ServedGroup::resources).orElse(List.of())) {
            ObjectNode r = resources.addObject();
            r.put("name", m.plural());
            r.put("singularName", m.singular());
            r.put("namespaced", m.namespaced());
            r.put("kind", m.kind());
            strings(r.putArray("verbs"), m.verbs());
        }
        for (ResourceType t : typesIn(group, version)) {
            ObjectNode r = resources.addObject();
            r.put("name", t.plural());
            r.put("singularName", t.singular());
            r.put("namespaced", t.namespaced());
            r.put("kind", t.kind());
            strings(r.putArray("verbs"), VERBS);
            if (!t.shortNames().isEmpty()) {
                strings(r.putArray("shortNames"), t.shortNames());
            }
            if (!t.categories().isEmpty()) {
                strings(r.putArray("categories"), t.categories());
            }
            for (String s : t.subresources()) {
                Sub sub = subresource(t, s);
                ObjectNode sr = resources.addObject();
                sr.put("name", t.plural() + "/" + s);
                sr.put("singularName", "");
                sr.put("namespaced", t.namespaced());
                if (!sub.group().equals(group) || !sub.version().equals(version)) {
                    sr.put("group", sub.group());
                    sr.put("version", sub.version());
                }
                sr.put("kind", sub.kind());
                strings(sr.putArray("verbs"), sub.verbs());
            }
        }
        return n;
    }

    private List<String> versionsOf(String group) {
        Optional<ServedGroup> served = servedGroup(group);
        if (served.isPresent()) {
            return List.of(served.get().version());
        }
        return types.stream().filter(t -> t.group().equals(group)).map(ResourceType::version).distinct().toList();
    }

    private List<ResourceType> typesIn(String group, String version) {
        return types.stream().filter(t -> t.group().equals(group) && t.version().equals(version)).toList();
    }

    private static ObjectNode kind(String group, String version, String kind) {
        ObjectNode k = Json.object();
        k.put("group", group);
        k.put("version", version);
        k.put("kind", kind);
        return k;
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
