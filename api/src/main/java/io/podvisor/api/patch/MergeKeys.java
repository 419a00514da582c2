package io.podvisor.api.patch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How each list field of a built-in kind merges, transcribed from upstream's struct tags
 * ({@code patchStrategy}/{@code patchMergeKey} for strategic merge patch,
 * {@code listType}/{@code listMapKey} for server-side apply) in {@code k8s.io/api}.
 *
 * <p>Paths are field names joined with dots; list elements add no segment
 * ({@code spec.containers.env}). A list not in the table is atomic: replaced whole. Notable
 * upstream facts: {@code tolerations}, {@code envFrom}, {@code command}, {@code args},
 * {@code readinessGates} and {@code resizePolicy} are atomic; container and service
 * {@code ports} merge by {@code containerPort}/{@code port} in a strategic merge patch but are
 * keyed by port and {@code protocol} (default {@code TCP}) in server-side apply. Kinds this table
 * does not know get only the {@code metadata} rules that every object shares.
 */
public final class MergeKeys {

    /** How a list merges. */
    public enum Strategy {
        /** Elements are maps identified by key fields; merged element by element. */
        KEYED,
        /** Elements are scalars merged as a set (e.g. {@code metadata.finalizers}). */
        SET,
        /** The list is replaced whole. */
        ATOMIC
    }

    /**
     * One list field's rules.
     *
     * @param smp the strategic merge patch strategy
     * @param mergeKey the strategic merge key when {@code smp} is KEYED
     * @param ssa the server-side apply strategy
     * @param ssaKeys the server-side apply key fields when {@code ssa} is KEYED, sorted
     */
    public record ListRule(Strategy smp, String mergeKey, Strategy ssa, List<String> ssaKeys) {
        static final ListRule ATOMIC = new ListRule(Strategy.ATOMIC, null, Strategy.ATOMIC, List.of());
    }

    /** The rules of one kind. */
    public record Schema(Map<String, ListRule> lists) {

        /** The rule of the list at {@code path}; atomic when the table has none. */
        public ListRule list(String path) {
            return lists.getOrDefault(path, ListRule.ATOMIC);
        }
    }

    /** Values upstream's schema defaults for key fields missing from an element. */
    private static final Map<String, String> KEY_DEFAULTS = Map.of("protocol", "TCP");

    private static final String[] CONTAINER_LISTS = {"containers", "initContainers", "ephemeralContainers"};

    private MergeKeys() {}

    /** The default of a key field ({@code protocol} is {@code TCP}), or null. */
    static String keyDefault(String field) {
        return KEY_DEFAULTS.get(field);
    }

    /** Whether {@code apiVersion}/{@code kind} is a kind this table describes beyond metadata. */
    public static boolean known(String apiVersion, String kind) {
        return build(apiVersion, kind) != null;
    }

    /** The rules for {@code apiVersion}/{@code kind}; metadata rules only for unknown kinds. */
    public static Schema forKind(String apiVersion, String kind) {
        Map<String, ListRule> m = build(apiVersion, kind);
        if (m == null) {
            m = new HashMap<>();
        }
        metadata(m, "metadata.");
        return new Schema(Map.copyOf(m));
    }

    private static Map<String, ListRule> build(String apiVersion, String kind) {
        Map<String, ListRule> m = new HashMap<>();
        String av = apiVersion == null ? "" : apiVersion;
        String k = kind == null ? "" : kind;
        switch (av + "/" + k) {
            case "v1/Pod" -> {
                podSpec(m, "spec.");
                keyed(m, "status.conditions", "type");
                keyed(m, "status.podIPs", "ip");
                smpKeyed(m, "status.hostIPs", "ip");
            }
            case "batch/v1/Job" -> {
                podTemplate(m, "spec.template.");
                smpKeyed(m, "status.conditions", "type");
            }
            case "apps/v1/Deployment", "apps/v1/ReplicaSet", "apps/v1/StatefulSet", "apps/v1/DaemonSet" -> {
                podTemplate(m, "spec.template.");
                keyed(m, "status.conditions", "type");
            }
            case "v1/Service" -> {
                keyed(m, "spec.ports", "port", "port", "protocol");
                keyed(m, "status.conditions", "type");
            }
            case "v1/Node" -> {
                set(m, "spec.podCIDRs");
                keyed(m, "status.conditions", "type");
                smpKeyed(m, "status.addresses", "type");
            }
            case "v1/Namespace" -> keyed(m, "status.conditions", "type");
            case "v1/ServiceAccount" -> keyed(m, "secrets", "name");
            case "v1/Endpoints", "v1/ConfigMap", "v1/Secret", "v1/Event", "events.k8s.io/v1/Event",
                    "discovery.k8s.io/v1/EndpointSlice", "coordination.k8s.io/v1/Lease" -> { }
            default -> {
                return null;
            }
        }
        return m;
    }

    private static void metadata(Map<String, ListRule> m, String p) {
        set(m, p + "finalizers");
        keyed(m, p + "ownerReferences", "uid");
    }

    private static void podTemplate(Map<String, ListRule> m, String p) {
        metadata(m, p + "metadata.");
        podSpec(m, p + "spec.");
    }

    private static void podSpec(Map<String, ListRule> m, String p) {
        keyed(m, p + "volumes", "name");
        for (String list : CONTAINER_LISTS) {
            keyed(m, p + list, "name");
            String c = p + list + ".";
            keyed(m, c + "ports", "containerPort", "containerPort", "protocol");
            keyed(m, c + "env", "name");
            keyed(m, c + "volumeMounts", "mountPath");
            keyed(m, c + "volumeDevices", "devicePath");
        }
        keyed(m, p + "imagePullSecrets", "name");
        keyed(m, p + "hostAliases", "ip");
        keyed(m, p + "topologySpreadConstraints", "topologyKey", "topologyKey", "whenUnsatisfiable");
        keyed(m, p + "schedulingGates", "name");
        keyed(m, p + "resourceClaims", "name");
    }

    private static void keyed(Map<String, ListRule> m, String path, String mergeKey) {
        keyed(m, path, mergeKey, mergeKey);
    }

    private static void keyed(Map<String, ListRule> m, String path, String mergeKey, String... ssaKeys) {
        List<String> keys = java.util.Arrays.stream(ssaKeys).sorted().toList();
        m.put(path, new ListRule(Strategy.KEYED, mergeKey, Strategy.KEYED, keys));
    }

    /** Merged by key in a strategic merge patch, atomic for server-side apply. */
    private static void smpKeyed(Map<String, ListRule> m, String path, String mergeKey) {
        m.put(path, new ListRule(Strategy.KEYED, mergeKey, Strategy.ATOMIC, List.of()));
    }

    private static void set(Map<String, ListRule> m, String path) {
        m.put(path, new ListRule(Strategy.SET, null, Strategy.SET, List.of()));
    }
}
