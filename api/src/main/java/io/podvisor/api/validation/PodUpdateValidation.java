package io.podvisor.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.podvisor.api.Yaml;
import io.podvisor.api.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a pod update may change: container and init-container images, a shrinking
 * {@code activeDeadlineSeconds}, added tolerations (and their seconds), and a negative grace period
 * to 1. Anything else gives {@code spec: Forbidden: pod updates may not change fields other than …}
 * followed by a short diff of the changed spec fields (upstream prints a full Go struct diff).
 */
final class PodUpdateValidation {

    static final String FORBIDDEN_PREFIX = "pod updates may not change fields other than "
            + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
            + "`spec.tolerations` (only additions to existing tolerations),"
            + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";
    private static final ObjectMapper JSON = Yaml.newJsonMapper();
    private static final Map<String, String> GO_NAMES = Map.of("dnsPolicy", "DNSPolicy", "dnsConfig", "DNSConfig",
            "hostPID", "HostPID", "hostIPC", "HostIPC", "serviceAccount", "DeprecatedServiceAccount",
            "os", "OS");

    private PodUpdateValidation() {}

    static List<FieldError> update(Pod now, Pod old) {
        List<FieldError> errs = new ArrayList<>();
        PodSpec n = now.getSpec() == null ? new PodSpec() : now.getSpec();
        PodSpec o = old.getSpec() == null ? new PodSpec() : old.getSpec();
        if (containerCountChanged(errs, n.getContainers(), o.getContainers(), "spec.containers")
                || containerCountChanged(errs, n.getInitContainers(), o.getInitContainers(), "spec.initContainers")) {
            return errs;
        }
        if (!deadline(errs, n.getActiveDeadlineSeconds(), o.getActiveDeadlineSeconds())) {
            return errs;
        }
        errs.addAll(Tolerations.onlyAdded(n.getTolerations(), o.getTolerations(), "spec.tolerations"));
        ObjectNode oldTree = normalized(o);
        ObjectNode munged = normalized(n);
        copyImages(munged, oldTree, "containers");
        copyImages(munged, oldTree, "initContainers");
        for (String f : List.of("activeDeadlineSeconds", "tolerations", "schedulingGates")) {
            munged.remove(f);
            if (oldTree.has(f)) {
                munged.set(f, oldTree.get(f));
            }
        }
        JsonNode oldGrace = oldTree.get("terminationGracePeriodSeconds");
        JsonNode newGrace = munged.get("terminationGracePeriodSeconds");
        if (oldGrace != null && oldGrace.asLong() < 0 && newGrace != null && newGrace.asLong() == 1) {
            munged.set("terminationGracePeriodSeconds", oldGrace);
        }
        if (!munged.equals(oldTree)) {
            errs.add(FieldError.forbidden("spec", FORBIDDEN_PREFIX + "\n" + diff(oldTree, munged)));
        }
        return errs;
    }

    private static boolean containerCountChanged(List<FieldError> errs, List<Container> now, List<Container> old, String path) {
        List<Container> n = now == null ? List.of() : now;
        List<Container> o = old == null ? List.of() : old;
        if (n.size() != o.size()) {
            errs.add(FieldError.forbidden(path, "pod updates may not add or remove containers"));
            return true;
        }
        for (int i = 0; i < n.size(); i++) {
            String image = n.get(i).getImage() == null ? "" : n.get(i).getImage();
            if (image.isEmpty()) {
                errs.add(FieldError.required(path + "[" + i + "].image", null));
            }
            if (!image.strip().equals(image)) {
                errs.add(FieldError.invalid(path + "[" + i + "].image", Errs.q(image), "must not have leading or trailing whitespace"));
            }
        }
        return false;
    }

    /** The deadline may be set, or lowered; false stops the update checks (as upstream). */
    private static boolean deadline(List<FieldError> errs, Long now, Long old) {
        String path = "spec.activeDeadlineSeconds";
        if (now != null) {
            if (now < 0 || now > Integer.MAX_VALUE) {
                errs.add(FieldError.invalid(path, String.valueOf(now), Names.inclusiveRange(0, Integer.MAX_VALUE)));
                return false;
            }
            if (old != null && old < now) {
                errs.add(FieldError.invalid(path, String.valueOf(now), "must be less than or equal to previous value"));
                return false;
            }
        } else if (old != null) {
            errs.add(FieldError.invalid(path, "null", "must not update from a positive integer to nil value"));
        }
        return true;
    }

    private static void copyImages(ObjectNode munged, ObjectNode old, String field) {
        JsonNode n = munged.get(field);
        JsonNode o = old.get(field);
        if (n instanceof ArrayNode na && o instanceof ArrayNode oa) {
            for (int i = 0; i < na.size() && i < oa.size(); i++) {
                ObjectNode c = (ObjectNode) na.get(i);
                c.remove("image");
                if (oa.get(i).has("image")) {
                    c.set("image", oa.get(i).get("image"));
                }
            }
        }
    }

    /** The spec as a JSON tree without nulls and empty lists (nil and empty compare equal upstream). */
    private static ObjectNode normalized(PodSpec spec) {
        ObjectNode tree = JSON.valueToTree(spec);
        strip(tree);
        return tree;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> drop = new ArrayList<>();
            o.properties().forEach(e -> {
                strip(e.getValue());
                if (e.getValue().isNull() || (e.getValue().isArray() && e.getValue().isEmpty())) {
                    drop.add(e.getKey());
                }
            });
            o.remove(drop);
        } else if (node instanceof ArrayNode a) {
            a.forEach(PodUpdateValidation::strip);
        }
    }

    /** A short diff in the shape of upstream's: one {@code -}/{@code +} pair per changed spec field. */
    static String diff(ObjectNode old, ObjectNode now) {
        StringBuilder b = new StringBuilder("  core.PodSpec{\n");
        TreeSet<String> fields = new TreeSet<>();
        old.fieldNames().forEachRemaining(fields::add);
        now.fieldNames().forEachRemaining(fields::add);
        int same = 0;
        for (String f : fields) {
            JsonNode o = old.get(f);
            JsonNode n = now.get(f);
            if (o != null && o.equals(n)) {
                same++;
                continue;
            }
            String name = GO_NAMES.getOrDefault(f, Character.toUpperCase(f.charAt(0)) + f.substring(1));
            if (o != null) {
                b.append("- \t").append(name).append(": ").append(o).append(",\n");
            }
            if (n != null) {
                b.append("+ \t").append(name).append(": ").append(n).append(",\n");
            }
        }
        if (same > 0) {
            b.append("  \t... // ").append(same).append(" identical fields\n");
        }
        return b.append("  }\n").toString();
    }
}
