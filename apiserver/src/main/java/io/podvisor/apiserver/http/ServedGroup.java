package io.podvisor.apiserver.http;

import java.util.List;

/**
 * A group-version the server answers itself beside the catalog's stored kinds (the metrics API,
 * the review APIs): what discovery lists of it.
 */
record ServedGroup(String group, String version, List<Resource> resources) {

    /** One resource: plural and singular names, the kind it answers with, scope and verbs. */
    record Resource(String plural, String singular, String kind, boolean namespaced, List<String> verbs) {}

    String groupVersion() {
        return group + "/" + version;
    }

    boolean is(String g, String v) {
        return group.equals(g) && version.equals(v);
    }
}
