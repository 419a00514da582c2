package io.podvisor.kubelet.staticpod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Toleration;
import io.podvisor.api.PodDefaults;
import io.podvisor.api.Yaml;
import io.podvisor.runtime.CriLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one manifest file into the static pod the kubelet runs (spec 15.4): name
 * {@code <name>-<node>}, namespace {@code default} unless set, {@code spec.nodeName}, a UID hashed
 * from the decoded pod, the node and the file (unchanged file, same UID), the config annotations,
 * a toleration of every NoExecute taint, and the API server's defaults.
 */
public final class StaticPodManifest {

    /** Where a pod came from: {@code file} for static pods, {@code api} otherwise. */
    public static final String CONFIG_SOURCE = "kubernetes.io/config.source";
    /** The static pod's hash (its UID). */
    public static final String CONFIG_HASH = "kubernetes.io/config.hash";
    /** When the kubelet first saw this version of the pod (RFC 3339 with nanoseconds). */
    public static final String CONFIG_SEEN = "kubernetes.io/config.seen";
    /** Marks a mirror pod; the value is the hash of the static pod it shows. */
    public static final String CONFIG_MIRROR = "kubernetes.io/config.mirror";
    public static final String FILE_SOURCE = "file";

    private StaticPodManifest() {}

    /**
     * Decodes a manifest (YAML or JSON, one Pod).
     *
     * @throws IllegalArgumentException with the reason if it is not a usable Pod
     */
    public static Pod decode(String content, Path file, String nodeName, Instant seen) {
        if (content.isBlank()) {
            throw new IllegalArgumentException("file was empty: " + file);
        }
        Pod pod = Yaml.read(content, Pod.class);
        if (pod == null || (pod.getKind() != null && !"Pod".equals(pod.getKind()))) {
            throw new IllegalArgumentException("invalid pod: kind is " + (pod == null ? "missing" : "\"" + pod.getKind() + "\""));
        }
        if (pod.getMetadata() == null || pod.getMetadata().getName() == null || pod.getMetadata().getName().isEmpty()) {
            throw new IllegalArgumentException("invalid pod: metadata.name is required");
        }
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null || pod.getSpec().getContainers().isEmpty()) {
            throw new IllegalArgumentException("invalid pod: spec.containers is required");
        }
        var meta = pod.getMetadata();
        if (meta.getUid() == null || meta.getUid().isEmpty()) {
            meta.setUid(hash(Yaml.json(pod), nodeName, file));
        }
        meta.setName(meta.getName() + "-" + nodeName.toLowerCase(Locale.ROOT));
        if (meta.getNamespace() == null || meta.getNamespace().isEmpty()) {
            meta.setNamespace("default");
        }
        pod.getSpec().setNodeName(nodeName);
        Map<String, String> annotations = new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
        annotations.put(CONFIG_HASH, meta.getUid());
        annotations.put(CONFIG_SEEN, CriLog.timestamp(seen));
        annotations.put(CONFIG_SOURCE, FILE_SOURCE);
        meta.setAnnotations(annotations);
        List<Toleration> tolerations = new ArrayList<>(pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations());
        Toleration all = new Toleration("NoExecute", null, "Exists", null, null);
        if (tolerations.stream().noneMatch(t -> "Exists".equals(t.getOperator()) && "NoExecute".equals(t.getEffect()) && t.getKey() == null)) {
            tolerations.add(all);
        }
        pod.getSpec().setTolerations(tolerations);
        PodDefaults.apply(pod);
        pod.setStatus(new PodStatus());
        pod.getStatus().setPhase("Pending");
        return pod;
    }

    /** Whether {@code pod} is a mirror pod (the API's read-only copy of a static pod). */
    public static boolean isMirror(Pod pod) {
        var a = pod.getMetadata().getAnnotations();
        return a != null && a.containsKey(CONFIG_MIRROR);
    }

    /** Whether {@code pod} is a static pod (from a file) rather than from the API. */
    public static boolean isStatic(Pod pod) {
        var a = pod.getMetadata().getAnnotations();
        return a != null && FILE_SOURCE.equals(a.get(CONFIG_SOURCE)) && !a.containsKey(CONFIG_MIRROR);
    }

    /** A pod's {@code kubernetes.io/config.hash}, or its mirror's {@code config.mirror}. */
    public static String hashOf(Pod pod) {
        var a = pod.getMetadata().getAnnotations();
        if (a == null) {
            return null;
        }
        return a.containsKey(CONFIG_MIRROR) ? a.get(CONFIG_MIRROR) : a.get(CONFIG_HASH);
    }

    private static String hash(String json, String nodeName, Path file) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(json.getBytes(StandardCharsets.UTF_8));
            md5.update(("host:" + nodeName).getBytes(StandardCharsets.UTF_8));
            md5.update(("file:" + file).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
