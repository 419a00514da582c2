package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.podvisor.api.errors.FieldError;
import java.util.List;
import java.util.Set;

/**
 * A container's {@code env} and {@code envFrom} as upstream validates them: names, one value source
 * and not beside a {@code value}, key selectors, downward API field selectors (the pod fields an
 * env var or a volume file may name, subscripts only on labels and annotations) and resource field
 * selectors with their divisors.
 */
final class EnvValidation {

    private static final List<String> ENV_FIELD_PATHS = List.of("metadata.name", "metadata.namespace",
            "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs",
            "status.podIP", "status.podIPs");
    /** What {@code ConvertDownwardAPIFieldLabel} accepts for v1 pods. */
    private static final Set<String> POD_FIELD_LABELS = Set.of("metadata.annotations", "metadata.labels",
            "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.restartPolicy",
            "spec.serviceAccountName", "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs",
            "status.podIP", "status.podIPs", "spec.host");
    private static final List<String> RESOURCE_FIELDS = List.of("limits.cpu", "limits.ephemeral-storage",
            "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory");
    private static final Set<String> CPU_DIVISORS = Set.of("1m", "1");
    private static final Set<String> BYTE_DIVISORS = Set.of("1", "1k", "1M", "1G", "1T", "1P", "1E",
            "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei");
    private static final String BYTE_DIVISOR_LIST = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei";

    private EnvValidation() {}

    static void env(List<FieldError> errs, List<EnvVar> env, String path) {
        List<EnvVar> list = VolumeValidation.nonNull(env);
        for (int i = 0; i < list.size(); i++) {
            EnvVar ev = list.get(i);
            String at = path + "[" + i + "]";
            String name = ev.getName() == null ? "" : ev.getName();
            if (name.isEmpty()) {
                errs.add(FieldError.required(at + ".name", null));
            } else {
                Errs.each(errs, at + ".name", Errs.q(name), Names.envVarName(name));
            }
            valueFrom(errs, ev, at + ".valueFrom");
        }
    }

    private static void valueFrom(List<FieldError> errs, EnvVar ev, String path) {
        EnvVarSource from = ev.getValueFrom();
        if (from == null) {
            return;
        }
        int sources = 0;
        if (from.getFieldRef() != null) {
            sources++;
            fieldSelector(errs, from.getFieldRef(), ENV_FIELD_PATHS, path + ".fieldRef");
        }
        if (from.getResourceFieldRef() != null) {
            sources++;
            resourceSelector(errs, from.getResourceFieldRef(), path + ".resourceFieldRef", false);
        }
        if (from.getConfigMapKeyRef() != null) {
            sources++;
            ConfigMapKeySelector s = from.getConfigMapKeyRef();
            keySelector(errs, s.getName(), s.getKey(), path + ".configMapKeyRef");
        }
        if (from.getSecretKeyRef() != null) {
            sources++;
            SecretKeySelector s = from.getSecretKeyRef();
            keySelector(errs, s.getName(), s.getKey(), path + ".secretKeyRef");
        }
        if (sources == 0) {
            errs.add(FieldError.invalid(path, "\"\"",
                    "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
        } else if (ev.getValue() != null && !ev.getValue().isEmpty()) {
            errs.add(FieldError.invalid(path, "\"\"", "may not be specified when `value` is not empty"));
        } else if (sources > 1) {
            errs.add(FieldError.invalid(path, "\"\"", "may not have more than one field specified at a time"));
        }
    }

    private static void keySelector(List<FieldError> errs, String name, String key, String path) {
        String n = name == null ? "" : name;
        Errs.each(errs, path + ".name", Errs.q(n), Names.dns1123Subdomain(n));
        if (!Errs.required(errs, path + ".key", key)) {
            Errs.each(errs, path + ".key", Errs.q(key), Names.configMapKey(key));
        }
    }

    static void envFrom(List<FieldError> errs, List<EnvFromSource> envFrom, String path) {
        List<EnvFromSource> list = VolumeValidation.nonNull(envFrom);
        for (int i = 0; i < list.size(); i++) {
            EnvFromSource ev = list.get(i);
            String at = path + "[" + i + "]";
            if (ev.getPrefix() != null && !ev.getPrefix().isEmpty()) {
                Errs.each(errs, at + ".prefix", Errs.q(ev.getPrefix()), Names.envVarName(ev.getPrefix()));
            }
            int sources = 0;
            if (ev.getConfigMapRef() != null) {
                sources++;
                refName(errs, ev.getConfigMapRef().getName(), at + ".configMapRef.name");
            }
            if (ev.getSecretRef() != null) {
                sources++;
                refName(errs, ev.getSecretRef().getName(), at + ".secretRef.name");
            }
            if (sources == 0) {
                errs.add(FieldError.invalid(path, "\"\"", "must specify one of: `configMapRef` or `secretRef`"));
            } else if (sources > 1) {
                errs.add(FieldError.invalid(path, "\"\"", "may not have more than one field specified at a time"));
            }
        }
    }

    private static void refName(List<FieldError> errs, String name, String path) {
        if (!Errs.required(errs, path, name)) {
            Errs.each(errs, path, Errs.q(name), Names.dns1123Subdomain(name));
        }
    }

    /** Upstream's {@code validateObjectFieldSelector}; an unset apiVersion is the default {@code v1}. */
    static void fieldSelector(List<FieldError> errs, ObjectFieldSelector fs, List<String> allowed, String path) {
        String version = fs.getApiVersion() == null || fs.getApiVersion().isEmpty() ? "v1" : fs.getApiVersion();
        String fieldPath = fs.getFieldPath() == null ? "" : fs.getFieldPath();
        if (fieldPath.isEmpty()) {
            errs.add(FieldError.required(path + ".fieldPath", null));
            return;
        }
        String[] subscripted = subscripted(fieldPath);
        String label = subscripted == null ? fieldPath : subscripted[0];
        String problem = !version.equals("v1") ? "unsupported pod version: " + version
                : subscripted != null && !label.equals("metadata.annotations") && !label.equals("metadata.labels")
                        ? "field label does not support subscript: " + fieldPath
                        : !POD_FIELD_LABELS.contains(label) ? "field label not supported: " + fieldPath : null;
        if (problem != null) {
            errs.add(FieldError.invalid(path + ".fieldPath", Errs.q(fieldPath), "error converting fieldPath: " + problem));
            return;
        }
        label = label.equals("spec.host") ? "spec.nodeName" : label;
        if (subscripted != null) {
            String key = label.equals("metadata.annotations") ? subscripted[1].toLowerCase(java.util.Locale.ROOT) : subscripted[1];
            Errs.each(errs, path, Errs.q(key), Names.qualifiedName(key));
        } else if (!allowed.contains(label)) {
            errs.add(FieldError.notSupported(path + ".fieldPath", Errs.q(label), allowed));
        }
    }

    /** {@code metadata.labels['key']} → {label, key}; null when not subscripted. */
    private static String[] subscripted(String fieldPath) {
        if (!fieldPath.endsWith("']")) {
            return null;
        }
        String s = fieldPath.substring(0, fieldPath.length() - 2);
        int open = s.indexOf("['");
        if (open <= 0) {
            return null;
        }
        return new String[] {s.substring(0, open), s.substring(open + 2)};
    }

    /** Upstream's {@code validateContainerResourceFieldSelector} and divisor check. */
    static void resourceSelector(List<FieldError> errs, ResourceFieldSelector fs, String path, boolean volume) {
        String resource = fs.getResource() == null ? "" : fs.getResource();
        if (volume && (fs.getContainerName() == null || fs.getContainerName().isEmpty())) {
            errs.add(FieldError.required(path + ".containerName", null));
        } else if (resource.isEmpty()) {
            errs.add(FieldError.required(path + ".resource", null));
        } else if (!RESOURCE_FIELDS.contains(resource) && !resource.startsWith("requests.hugepages-")
                && !resource.startsWith("limits.hugepages-")) {
            errs.add(FieldError.notSupported(path + ".resource", Errs.q(resource), RESOURCE_FIELDS));
        }
        if (fs.getDivisor() == null || Quantities.value(fs.getDivisor()).map(v -> v.signum() == 0).orElse(true)) {
            return;
        }
        String divisor = Quantities.canonical(Quantities.text(fs.getDivisor()));
        switch (resource) {
            case "limits.cpu", "requests.cpu" -> {
                if (!CPU_DIVISORS.contains(divisor)) {
                    errs.add(FieldError.invalid(path + ".divisor", Errs.q(resource),
                            "only divisor's values 1m and 1 are supported with the cpu resource"));
                }
            }
            case "limits.memory", "requests.memory" -> {
                if (!BYTE_DIVISORS.contains(divisor)) {
                    errs.add(FieldError.invalid(path + ".divisor", Errs.q(resource),
                            "only divisor's values " + BYTE_DIVISOR_LIST + " are supported with the memory resource"));
                }
            }
            case "limits.ephemeral-storage", "requests.ephemeral-storage" -> {
                if (!BYTE_DIVISORS.contains(divisor)) {
                    errs.add(FieldError.invalid(path + ".divisor", Errs.q(resource), "only divisor's values "
                            + BYTE_DIVISOR_LIST + " are supported with the local ephemeral storage resource"));
                }
            }
            default -> { }
        }
    }
}
