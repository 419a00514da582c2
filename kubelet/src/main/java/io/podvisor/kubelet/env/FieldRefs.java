package io.podvisor.kubelet.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.podvisor.api.Containers;
import io.podvisor.api.validation.Quantities;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The downward API: values of {@code fieldRef} and {@code resourceFieldRef} selectors, for env
 * variables and downwardAPI volume files, as upstream computes them.
 *
 * @param pod         the pod
 * @param hostIp      the node's address ({@code status.hostIP})
 * @param podIps      the pod's addresses, first the primary ({@code status.podIP}); may be empty
 * @param allocatable what an unset limit reads as
 */
public record FieldRefs(Pod pod, String hostIp, List<String> podIps, NodeAllocatable allocatable) {

    private static final Pattern SUBSCRIPT = Pattern.compile("^(metadata\\.(?:labels|annotations))\\['(.*)'\\]$");

    public FieldRefs {
        podIps = List.copyOf(podIps);
    }

    /**
     * The value of a {@code fieldRef} in an env variable: the metadata fields and also
     * {@code spec.nodeName}, {@code spec.serviceAccountName}, {@code status.hostIP(s)},
     * {@code status.podIP(s)}.
     */
    public String envField(ObjectFieldSelector fs) throws ConfigException {
        String path = fs.getFieldPath();
        var spec = pod.getSpec();
        return switch (path) {
            case "spec.nodeName" -> orEmpty(spec.getNodeName());
            case "spec.serviceAccountName" -> orEmpty(spec.getServiceAccountName());
            case "status.hostIP", "status.hostIPs" -> orEmpty(hostIp);
            case "status.podIP" -> podIps.isEmpty() ? "" : podIps.getFirst();
            case "status.podIPs" -> String.join(",", podIps);
            default -> metadataField(path);
        };
    }

    /**
     * The value of a metadata {@code fieldRef} (the only kind a downwardAPI volume may use): name,
     * namespace, uid, a single label or annotation, or all labels or annotations as
     * {@code key="value"} lines sorted by key.
     */
    public String metadataField(String path) throws ConfigException {
        var meta = pod.getMetadata();
        Matcher m = SUBSCRIPT.matcher(path);
        if (m.matches()) {
            Map<String, String> map = m.group(1).endsWith("labels") ? meta.getLabels() : meta.getAnnotations();
            return map == null ? "" : orEmpty(map.get(m.group(2)));
        }
        return switch (path) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            case "metadata.labels" -> formatMap(meta.getLabels());
            case "metadata.annotations" -> formatMap(meta.getAnnotations());
            default -> throw new ConfigException("unsupported fieldPath: " + path);
        };
    }

    /**
     * The value of a {@code resourceFieldRef}: the named container's (or {@code self}'s when it
     * names none) limit or request divided by the divisor (default 1) and rounded up. An unset or
     * zero limit reads as the node's allocatable amount.
     */
    public String resource(ResourceFieldSelector fs, Container self) throws ConfigException {
        Container c = self;
        if (fs.getContainerName() != null && !fs.getContainerName().isEmpty()) {
            c = Containers.all(pod.getSpec()).stream().filter(x -> fs.getContainerName().equals(x.getName()))
                    .findFirst().orElseThrow(() -> new ConfigException("container " + fs.getContainerName() + " not found"));
        }
        String r = fs.getResource();
        int dot = r.indexOf('.');
        String kind = dot < 0 ? "" : r.substring(0, dot);
        String name = dot < 0 ? r : r.substring(dot + 1);
        if (!kind.equals("limits") && !kind.equals("requests")
                || !List.of("cpu", "memory", "ephemeral-storage").contains(name)) {
            throw new ConfigException("unsupported container resource : " + r);
        }
        BigDecimal amount = amount(c, kind, name);
        BigDecimal divisor = fs.getDivisor() == null ? BigDecimal.ZERO : Quantities.bounded(fs.getDivisor().getNumericalAmount());
        if (divisor.signum() == 0) {
            divisor = BigDecimal.ONE;
        }
        if (name.equals("cpu")) {
            return ceilDivide(amount.movePointRight(3), divisor.movePointRight(3));
        }
        return ceilDivide(amount, divisor);
    }

    /** ⌈a⌉ / ⌈b⌉ rounded up, each side saturated at a long rather than expanded (a limit of 1e999999999). */
    private static String ceilDivide(BigDecimal a, BigDecimal b) {
        long divisor = Math.max(1, Quantities.ceilSaturated(b));
        return BigDecimal.valueOf(Quantities.ceilSaturated(a))
                .divide(BigDecimal.valueOf(divisor), 0, RoundingMode.CEILING).toPlainString();
    }

    private BigDecimal amount(Container c, String kind, String name) {
        var rr = c.getResources();
        Map<String, Quantity> list = rr == null ? null : kind.equals("limits") ? rr.getLimits() : rr.getRequests();
        Quantity q = list == null ? null : list.get(name);
        BigDecimal v = q == null ? BigDecimal.ZERO : Quantities.bounded(q.getNumericalAmount());
        if (kind.equals("limits") && v.signum() == 0) {
            return switch (name) {
                case "cpu" -> BigDecimal.valueOf(allocatable.cpuMillis()).movePointLeft(3);
                case "memory" -> BigDecimal.valueOf(allocatable.memoryBytes());
                default -> v;
            };
        }
        return v;
    }

    /** {@code key="value"} lines sorted by key, values quoted as Go's {@code %q} does. */
    static String formatMap(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (var e : new TreeMap<>(map).entrySet()) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append(e.getKey()).append('=').append(quote(e.getValue()));
        }
        return sb.toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (ch < 0x20 || ch == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
