package io.podvisor.apiserver.http;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code Accept} header the way the API server negotiates: the first entry the server
 * can produce wins. Recognizes Tables ({@code as=Table;g=meta.k8s.io;v=v1|v1beta1}) and
 * aggregated discovery ({@code as=APIGroupDiscoveryList;g=apidiscovery.k8s.io;v=v2|v2beta1}).
 */
final class MediaTypes {

    static final String DISCOVERY_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    static final String DISCOVERY_V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    private MediaTypes() {}

    /** The Table version asked for ({@code v1} or {@code v1beta1}), or empty for plain JSON. */
    static Optional<String> tableVersion(String accept) {
        return pick(accept, "Table", "meta.k8s.io", "v1", "v1beta1");
    }

    /** The aggregated discovery version asked for ({@code v2} or {@code v2beta1}), or empty. */
    static Optional<String> discoveryVersion(String accept) {
        return pick(accept, "APIGroupDiscoveryList", "apidiscovery.k8s.io", "v2", "v2beta1");
    }

    private static Optional<String> pick(String accept, String as, String group, String... versions) {
        if (accept == null) {
            return Optional.empty();
        }
        for (String entry : accept.split(",")) {
            String[] parts = entry.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            Map<String, String> params = new HashMap<>();
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv.length == 2) {
                    params.put(kv[0].trim(), kv[1].trim());
                }
            }
            boolean json = type.equals("application/json") || type.equals("application/*") || type.equals("*/*");
            if (!json) {
                continue;
            }
            String a = params.get("as");
            if (a == null) {
                return Optional.empty();
            }
            if (a.equals(as) && group.equals(params.get("g"))) {
                for (String v : versions) {
                    if (v.equals(params.get("v"))) {
                        return Optional.of(v);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
