package io.podvisor.kubelet.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.podvisor.runtime.image.ImageReference;
import io.podvisor.runtime.image.RegistryAuth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry credentials of a pod's {@code imagePullSecrets}, looked up by image as the kubelet's
 * keyring does. Secrets of type {@code kubernetes.io/dockerconfigjson} ({@code .dockerconfigjson}:
 * {@code {"auths": {<registry>: {...}}}}) and {@code kubernetes.io/dockercfg} ({@code .dockercfg}:
 * the map itself) are read; an entry's {@code auth} (base64 {@code user:password}) wins over its
 * {@code username}/{@code password}. A registry key may carry a scheme, a path ({@code /v1/} and
 * {@code /v2/} mean none) and {@code *} wildcards per host label ({@code *.example.com}).
 *
 * <p>Lookup: every key whose host matches label by label, whose port is equal and whose path is a
 * prefix of the image's repository path, most specific key first (keys in reverse order), each key's
 * credentials in secret order. Without any match a Docker Hub image takes the credentials of
 * {@code index.docker.io} (also written {@code https://index.docker.io/v1/}) or
 * {@code registry-1.docker.io}. Immutable.
 */
public final class DockerKeyring {

    /** No credentials at all. */
    public static final DockerKeyring EMPTY = new DockerKeyring(Map.of());

    static final String DOCKERCONFIGJSON = "kubernetes.io/dockerconfigjson";
    static final String DOCKERCFG = "kubernetes.io/dockercfg";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HUB_FALLBACKS = List.of("index.docker.io", "registry-1.docker.io");

    /** Credentials by normalized key ({@code host[:port][/path]}), keys in reverse order. */
    private final Map<String, List<RegistryAuth>> byKey;

    private DockerKeyring(Map<String, List<RegistryAuth>> byKey) {
        this.byKey = byKey;
    }

    /** The keyring of {@code secrets}, in order; secrets of other types and unreadable entries add nothing. */
    public static DockerKeyring of(List<Secret> secrets) {
        Map<String, List<RegistryAuth>> found = new LinkedHashMap<>();
        for (Secret s : secrets) {
            JsonNode entries = entries(s);
            if (entries == null) {
                continue;
            }
            entries.properties().forEach(e -> {
                RegistryAuth auth = auth(e.getValue());
                if (auth != null) {
                    found.computeIfAbsent(normalizeKey(e.getKey()), k -> new ArrayList<>()).add(auth);
                }
            });
        }
        Map<String, List<RegistryAuth>> sorted = new LinkedHashMap<>();
        found.keySet().stream().sorted(Comparator.reverseOrder()).forEach(k -> sorted.put(k, List.copyOf(found.get(k))));
        return new DockerKeyring(sorted);
    }

    /** The credentials to try for {@code image}, best first; empty: pull anonymously. */
    public List<RegistryAuth> lookup(ImageReference image) {
        String target = image.domain() + "/" + image.repository();
        List<RegistryAuth> out = new ArrayList<>();
        byKey.forEach((key, auths) -> {
            if (matches(key, target)) {
                out.addAll(auths);
            }
        });
        if (out.isEmpty() && image.domain().equals(ImageReference.DOCKER_HUB)) {
            for (String alias : HUB_FALLBACKS) {
                if (byKey.containsKey(alias)) {
                    return byKey.get(alias);
                }
            }
        }
        return List.copyOf(out);
    }

    private static JsonNode entries(Secret s) {
        String type = s.getType();
        String key = DOCKERCONFIGJSON.equals(type) ? ".dockerconfigjson" : DOCKERCFG.equals(type) ? ".dockercfg" : null;
        String raw = key == null ? null : value(s, key);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(raw);
            JsonNode entries = DOCKERCONFIGJSON.equals(type) ? root.path("auths") : root;
            return entries.isObject() ? entries : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String value(Secret s, String key) {
        if (s.getData() != null && s.getData().get(key) != null) {
            return new String(Base64.getMimeDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
        }
        return s.getStringData() == null ? null : s.getStringData().get(key);
    }

    private static RegistryAuth auth(JsonNode entry) {
        String user = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            user = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        return new RegistryAuth(user, password, entry.path("identitytoken").asText(""));
    }

    /** {@code https://index.docker.io/v1/} → {@code index.docker.io}; {@code quay.io/team} stays. */
    static String normalizeKey(String key) {
        String k = key.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = k.indexOf('/');
        String host = slash < 0 ? k : k.substring(0, slash);
        String path = slash < 0 ? "" : k.substring(slash);
        if (path.startsWith("/v1/") || path.startsWith("/v2/")) {
            path = path.substring(3);
        }
        return path.isEmpty() || path.equals("/") ? host : host + path;
    }

    /** Whether key {@code glob} (host with wildcards, optional path) covers {@code target} ({@code host/repo}). */
    static boolean matches(String glob, String target) {
        String[] g = hostAndPath(glob);
        String[] t = hostAndPath(target);
        String[] gHost = g[0].split(":", 2);
        String[] tHost = t[0].split(":", 2);
        String gPort = gHost.length > 1 ? gHost[1] : "";
        String tPort = tHost.length > 1 ? tHost[1] : "";
        String[] gLabels = gHost[0].split("\\.", -1);
        String[] tLabels = tHost[0].split("\\.", -1);
        if (!gPort.equals(tPort) || gLabels.length != tLabels.length || !t[1].startsWith(g[1])) {
            return false;
        }
        for (int i = 0; i < gLabels.length; i++) {
            if (!globMatch(gLabels[i], tLabels[i])) {
                return false;
            }
        }
        return true;
    }

    private static String[] hostAndPath(String s) {
        int slash = s.indexOf('/');
        return slash < 0 ? new String[] {s, ""} : new String[] {s.substring(0, slash), s.substring(slash)};
    }

    /** Shell-style {@code *} and {@code ?} within one host label. */
    private static boolean globMatch(String pattern, String text) {
        StringBuilder regex = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            regex.append(switch (ch) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> java.util.regex.Pattern.quote(String.valueOf(ch));
            });
        }
        return text.matches(regex.toString());
    }
}
