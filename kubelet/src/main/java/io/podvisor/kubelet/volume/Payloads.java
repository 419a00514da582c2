package io.podvisor.kubelet.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapProjection;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretProjection;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.podvisor.api.ClusterClient;
import io.podvisor.kubelet.env.ConfigException;
import io.podvisor.kubelet.env.EnvResolver;
import io.podvisor.kubelet.env.FieldRefs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The files of the API-data volumes (configMap, secret, downwardAPI, projected), keyed by their
 * path inside the volume, computed as upstream's plugins do: every key when no items are given,
 * else the listed keys at their paths; {@code mode} over {@code defaultMode} (default {@code 0644}).
 * An immutable ConfigMap or Secret is read once per pod and kept ({@code pinned}): as upstream's
 * kubelet stops watching it after the first read, later changes (a delete and re-create under the
 * same name) do not reach the pod's volumes.
 */
final class Payloads {

    static final int DEFAULT_MODE = 0644;

    private final ClusterClient cluster;
    private final FieldRefs fields;
    private final String namespace;
    /** The immutable objects this pod read, by {@code configmap/<name>} or {@code secret/<name>}. */
    private final Map<String, HasMetadata> pinned;

    /** @param pinned the pod's immutable ConfigMaps and Secrets read before; ones read now are added */
    Payloads(ClusterClient cluster, FieldRefs fields, Map<String, HasMetadata> pinned) {
        this.cluster = cluster;
        this.fields = fields;
        this.namespace = fields.pod().getMetadata().getNamespace();
        this.pinned = pinned;
    }

    /** {@code read}'s object, or the one kept when an earlier read found it immutable. */
    private <T extends HasMetadata> T once(String key, Class<T> type, Supplier<T> read, Predicate<T> immutable) {
        HasMetadata kept = pinned.get(key);
        if (kept != null) {
            return type.cast(kept);
        }
        T o = read.get();
        if (o != null && immutable.test(o)) {
            pinned.put(key, o);
        }
        return o;
    }

    Map<String, FileProjection> configMap(ConfigMapVolumeSource src) throws ConfigException {
        boolean optional = Boolean.TRUE.equals(src.getOptional());
        return configMap(src.getName(), src.getItems(), mode(src.getDefaultMode()), optional);
    }

    Map<String, FileProjection> secret(SecretVolumeSource src) throws ConfigException {
        boolean optional = Boolean.TRUE.equals(src.getOptional());
        return secret(src.getSecretName(), src.getItems(), mode(src.getDefaultMode()), optional);
    }

    Map<String, FileProjection> downwardApi(List<DownwardAPIVolumeFile> items, int defaultMode) throws ConfigException {
        Map<String, FileProjection> out = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (DownwardAPIVolumeFile f : items == null ? List.<DownwardAPIVolumeFile>of() : items) {
            int mode = f.getMode() != null ? f.getMode() : defaultMode;
            try {
                String value = f.getFieldRef() != null ? fields.metadataField(f.getFieldRef().getFieldPath())
                        : f.getResourceFieldRef() != null ? fields.resource(f.getResourceFieldRef(), null) : "";
                out.put(f.getPath(), new FileProjection(value.getBytes(StandardCharsets.UTF_8), mode));
            } catch (ConfigException | RuntimeException e) {
                errors.add(String.valueOf(e.getMessage()));
            }
        }
        failIfAny(errors);
        return out;
    }

    Map<String, FileProjection> projected(ProjectedVolumeSource src) throws ConfigException {
        int defaultMode = mode(src.getDefaultMode());
        Map<String, FileProjection> out = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (VolumeProjection p : src.getSources() == null ? List.<VolumeProjection>of() : src.getSources()) {
            try {
                if (p.getConfigMap() != null) {
                    ConfigMapProjection c = p.getConfigMap();
                    out.putAll(configMap(c.getName(), c.getItems(), defaultMode, Boolean.TRUE.equals(c.getOptional())));
                } else if (p.getSecret() != null) {
                    SecretProjection s = p.getSecret();
                    out.putAll(secret(s.getName(), s.getItems(), defaultMode, Boolean.TRUE.equals(s.getOptional())));
                } else if (p.getDownwardAPI() != null) {
                    out.putAll(downwardApi(p.getDownwardAPI().getItems(), defaultMode));
                }
            } catch (ConfigException e) {
                errors.add(e.getMessage());
            }
        }
        failIfAny(errors);
        return out;
    }

    private Map<String, FileProjection> configMap(String name, List<KeyToPath> items, int defaultMode, boolean optional)
            throws ConfigException {
        ConfigMap cm = once("configmap/" + name, ConfigMap.class, () -> cluster.configMap(namespace, name),
                c -> Boolean.TRUE.equals(c.getImmutable()));
        if (cm == null && !optional) {
            throw new ConfigException("configmap \"" + name + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (cm != null && cm.getData() != null) {
            cm.getData().forEach((k, v) -> data.put(k, (v == null ? "" : v).getBytes(StandardCharsets.UTF_8)));
        }
        if (cm != null && cm.getBinaryData() != null) {
            cm.getBinaryData().forEach((k, v) -> data.putIfAbsent(k, Base64.getMimeDecoder().decode(v == null ? "" : v)));
        }
        return payload(data, items, defaultMode, optional, "configmap references non-existent config key: ");
    }

    private Map<String, FileProjection> secret(String name, List<KeyToPath> items, int defaultMode, boolean optional)
            throws ConfigException {
        Secret s = once("secret/" + name, Secret.class, () -> cluster.secret(namespace, name),
                c -> Boolean.TRUE.equals(c.getImmutable()));
        if (s == null && !optional) {
            throw new ConfigException("secret \"" + name + "\" not found");
        }
        Map<String, byte[]> data = s == null ? Map.of() : EnvResolver.decodedBytes(s);
        return payload(data, items, defaultMode, optional, "secret references non-existent secret key: ");
    }

    private static Map<String, FileProjection> payload(Map<String, byte[]> data, List<KeyToPath> items, int defaultMode,
                                                       boolean optional, String missingKey) throws ConfigException {
        Map<String, FileProjection> out = new LinkedHashMap<>();
        if (items == null || items.isEmpty()) {
            data.forEach((k, v) -> out.put(k, new FileProjection(v, defaultMode)));
            return out;
        }
        for (KeyToPath item : items) {
            byte[] v = data.get(item.getKey());
            if (v == null) {
                if (optional) {
                    continue;
                }
                throw new ConfigException(missingKey + item.getKey());
            }
            out.put(item.getPath(), new FileProjection(v, item.getMode() != null ? item.getMode() : defaultMode));
        }
        return out;
    }

    static int mode(Integer mode) {
        return mode == null ? DEFAULT_MODE : mode;
    }

    private static void failIfAny(List<String> errors) throws ConfigException {
        if (errors.size() == 1) {
            throw new ConfigException(errors.getFirst());
        }
        if (errors.size() > 1) {
            throw new ConfigException("[" + String.join(", ", errors) + "]");
        }
    }
}
