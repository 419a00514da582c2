package io.podvisor.kubelet.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.podvisor.api.ClusterClient;
import io.podvisor.api.validation.Names;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A container's environment as the kubelet hands it to the runtime: {@code envFrom} sources first
 * (prefixed keys; keys that are not valid names are skipped with a warning), then {@code env} in
 * order, later entries replacing earlier ones, then the Service variables ({@link ServiceEnv}) the
 * container did not set itself. Literal values expand {@code $(VAR)} references to variables
 * defined before them and to the Service variables; {@code valueFrom} reads the downward API,
 * ConfigMaps and Secrets (all from the node's cache).
 * A missing object or key that is not optional fails with upstream's message.
 *
 * <p>Not thread-safe; one instance resolves one container (it caches the objects it read).
 */
public final class EnvResolver {

    /**
     * The resolved environment and the warnings to record on the pod.
     *
     * @param warnings messages of {@code InvalidEnvironmentVariableNames} events
     */
    public record Result(Map<String, String> env, List<String> warnings) {}

    /** The reason of the event about skipped envFrom keys. */
    public static final String INVALID_NAMES_REASON = "InvalidEnvironmentVariableNames";

    private final ClusterClient cluster;
    private final FieldRefs fields;
    private final String namespace;
    private final Map<String, ConfigMap> configMaps = new HashMap<>();
    private final Map<String, Secret> secrets = new HashMap<>();
    private Map<String, String> serviceEnv;

    public EnvResolver(ClusterClient cluster, FieldRefs fields) {
        this.cluster = cluster;
        this.fields = fields;
        this.namespace = fields.pod().getMetadata().getNamespace();
    }

    /** Resolves {@code c}'s environment. */
    public Result resolve(Container c) throws ConfigException {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        Map<String, String> services = serviceEnv();
        if (c.getEnvFrom() != null) {
            for (EnvFromSource from : c.getEnvFrom()) {
                envFrom(from, env, warnings);
            }
        }
        if (c.getEnv() != null) {
            for (EnvVar v : c.getEnv()) {
                String value = v.getValue() == null ? "" : v.getValue();
                if (!value.isEmpty()) {
                    value = Expansion.expand(value, Expansion.mappingFor(env, services));
                } else if (v.getValueFrom() != null) {
                    value = valueFrom(v.getValueFrom(), c);
                    if (value == null) {
                        continue; // an optional source that is absent: the variable is not set
                    }
                }
                env.put(v.getName(), value);
            }
        }
        services.forEach(env::putIfAbsent); // what the container sets itself wins
        return new Result(env, warnings);
    }

    private Map<String, String> serviceEnv() {
        if (serviceEnv == null) {
            serviceEnv = ServiceEnv.of(cluster, fields.pod());
        }
        return serviceEnv;
    }

    private void envFrom(EnvFromSource from, Map<String, String> env, List<String> warnings) throws ConfigException {
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        Map<String, String> data;
        String kind;
        String name;
        if (from.getConfigMapRef() != null) {
            name = from.getConfigMapRef().getName();
            kind = "configMap";
            ConfigMap cm = configMap(name, Boolean.TRUE.equals(from.getConfigMapRef().getOptional()));
            data = cm == null || cm.getData() == null ? Map.of() : cm.getData();
        } else if (from.getSecretRef() != null) {
            name = from.getSecretRef().getName();
            kind = "secret";
            Secret s = secret(name, Boolean.TRUE.equals(from.getSecretRef().getOptional()));
            data = s == null ? Map.of() : decoded(s);
        } else {
            return;
        }
        List<String> invalid = new ArrayList<>();
        for (var e : new TreeMap<>(data).entrySet()) {
            String key = prefix + e.getKey();
            if (!Names.envVarName(key).isEmpty()) {
                invalid.add(key);
                continue;
            }
            env.put(key, e.getValue());
        }
        if (!invalid.isEmpty()) {
            warnings.add("Keys [" + String.join(", ", invalid) + "] from the EnvFrom " + kind + " " + namespace + "/"
                    + name + " were skipped since they are considered invalid environment variable names.");
        }
    }

    /** The value of a valueFrom source, or null for an absent optional one. */
    private String valueFrom(EnvVarSource src, Container c) throws ConfigException {
        if (src.getFieldRef() != null) {
            return fields.envField(src.getFieldRef());
        }
        if (src.getResourceFieldRef() != null) {
            return fields.resource(src.getResourceFieldRef(), c);
        }
        if (src.getConfigMapKeyRef() != null) {
            var ref = src.getConfigMapKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            ConfigMap cm = configMap(ref.getName(), optional);
            String v = cm == null || cm.getData() == null ? null : cm.getData().get(ref.getKey());
            if (v == null && cm != null && !optional) {
                throw new ConfigException("couldn't find key " + ref.getKey() + " in ConfigMap " + namespace + "/" + ref.getName());
            }
            return v;
        }
        if (src.getSecretKeyRef() != null) {
            var ref = src.getSecretKeyRef();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            Secret s = secret(ref.getName(), optional);
            String v = s == null ? null : decoded(s).get(ref.getKey());
            if (v == null && s != null && !optional) {
                throw new ConfigException("couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
            }
            return v;
        }
        return "";
    }

    private ConfigMap configMap(String name, boolean optional) throws ConfigException {
        ConfigMap cm = configMaps.computeIfAbsent(name, n -> cluster.configMap(namespace, n));
        if (cm == null && !optional) {
            throw new ConfigException("configmap \"" + name + "\" not found");
        }
        return cm;
    }

    private Secret secret(String name, boolean optional) throws ConfigException {
        Secret s = secrets.computeIfAbsent(name, n -> cluster.secret(namespace, n));
        if (s == null && !optional) {
            throw new ConfigException("secret \"" + name + "\" not found");
        }
        return s;
    }

    /** A Secret's values as text: {@code data} decoded from base64, {@code stringData} over it. */
    public static Map<String, String> decoded(Secret s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : decodedBytes(s).entrySet()) {
            out.put(e.getKey(), new String(e.getValue(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** A Secret's values as bytes: {@code data} decoded from base64, {@code stringData} over it. */
    public static Map<String, byte[]> decodedBytes(Secret s) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> out.put(k, Base64.getMimeDecoder().decode(v == null ? "" : v)));
        }
        if (s.getStringData() != null) {
            s.getStringData().forEach((k, v) -> out.put(k, (v == null ? "" : v).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }
}
