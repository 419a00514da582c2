package io.podvisor.cli.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry;
import io.podvisor.cli.run.Manifests.Manifest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Creates manifests through the node's {@link Registry} in order, printing {@code kind/name
 * created} as {@code kubectl create} does, and deletes what it created in reverse order.
 * A failure prints kubectl's wording ({@code The Pod "x" is invalid: …}, {@code Error from
 * server (AlreadyExists): …}) and stops.
 */
final class Applier {

    /**
     * One created object.
     *
     * @param type      its resource type
     * @param namespace its namespace (null for cluster-scoped)
     * @param name      its name as stored (generated names resolved)
     * @param object    the object as stored
     */
    record Created(ResourceType type, String namespace, String name, HasMetadata object) {
        String ref() {
            return type.singular() + "/" + name;
        }
    }

    private final Registry registry;
    private final PrintWriter out;
    private final PrintWriter err;
    private final List<Created> created = new ArrayList<>();

    Applier(Registry registry, PrintWriter out, PrintWriter err) {
        this.registry = registry;
        this.out = out;
        this.err = err;
    }

    /** Creates every manifest; false (after printing why) at the first that fails. */
    boolean apply(List<Manifest> manifests) {
        for (Manifest m : manifests) {
            if (!apply(m)) {
                return false;
            }
        }
        return true;
    }

    private boolean apply(Manifest m) {
        Optional<ResourceType> type = ResourceTypes.byKind(m.apiVersion(), m.kind());
        if (type.isEmpty()) {
            err.println("error: resource mapping not found for name: \"" + m.name() + "\" namespace: \""
                    + m.namespace() + "\" from \"" + m.file() + "\": no matches for kind \"" + m.kind()
                    + "\" in version \"" + m.apiVersion() + "\"");
            return false;
        }
        ResourceType t = type.get();
        String ns = t.namespaced() ? (m.namespace().isEmpty() ? "default" : m.namespace()) : null;
        try {
            HasMetadata o = registry.create(t, ns, (ObjectNode) m.body().deepCopy(), Registry.WriteOptions.DEFAULT).object();
            Created c = new Created(t, ns, o.getMetadata().getName(), o);
            created.add(c);
            out.println(c.ref() + " created");
            return true;
        } catch (ApiException e) {
            err.println(message(e, m));
            return false;
        }
    }

    /** kubectl's text for a failed create. */
    static String message(ApiException e, Manifest m) {
        if (e instanceof ApiException.Invalid) {
            return "The " + e.getMessage();
        }
        String reason = e.reason() == null || e.reason().isEmpty() ? "" : " (" + e.reason() + ")";
        return "Error from server" + reason + ": error when creating \"" + m.file() + "\": " + e.getMessage();
    }

    /** What was created, in order. */
    List<Created> created() {
        return List.copyOf(created);
    }

    /** Deletes what was created, last first, with {@code graceSeconds}; failures are ignored. */
    void deleteAll(long graceSeconds) {
        for (int i = created.size() - 1; i >= 0; i--) {
            Created c = created.get(i);
            DeleteOptions o = new DeleteOptions();
            o.setGracePeriodSeconds(graceSeconds);
            o.setPropagationPolicy("Background");
            try {
                registry.delete(c.type(), c.namespace(), c.name(), o);
            } catch (ApiException e) {
                // already gone, or the node is going away anyway
            }
        }
        created.clear();
    }
}
