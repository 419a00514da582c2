package io.podvisor.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.patch.PatchType;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.apiserver.registry.Registry;
import io.podvisor.core.Clock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An in-memory {@link Registry} for HTTP tests: objects by type/namespace/name, a global
 * resourceVersion, equality label selectors and {@code metadata.name} field selectors, watches
 * (synthetic ADDED for RV null/"0", Gone for RV "1"), and a record of the last options it got.
 */
final class FakeRegistry implements Registry {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Clock clock;
    private final Map<String, HasMetadata> objects = new ConcurrentHashMap<>();
    private final AtomicLong rv = new AtomicLong(100);
    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    volatile ListOptions lastList;
    volatile WriteOptions lastWrite;
    volatile DeleteOptions lastDelete;
    volatile PatchType lastPatchType;
    volatile String lastPatchBody;
    volatile Part lastPart;
    volatile List<String> warnings = List.of();
    /** What {@link #storageProblem()} reports (null: nothing). */
    volatile String storageProblem;
    /** Thrown by the next {@link #get} (then cleared), for failures a registry does not throw itself. */
    volatile Error nextGetError;

    private record Watcher(ResourceType type, ListOptions options, Consumer<WatchEvent> sink) {}

    FakeRegistry(Clock clock) {
        this.clock = clock;
    }

    private static String key(ResourceType t, String ns, String name) {
        return t.apiVersion() + "/" + t.plural() + "/" + (ns == null ? "" : ns) + "/" + name;
    }

    /** Stores an object directly (as a controller would), firing ADDED or MODIFIED. */
    HasMetadata put(ResourceType type, HasMetadata o) {
        o.getMetadata().setResourceVersion(Long.toString(rv.incrementAndGet()));
        if (o.getMetadata().getCreationTimestamp() == null) {
            o.getMetadata().setCreationTimestamp(clock.now().minusSeconds(90).toString());
        }
        HasMetadata old = objects.put(key(type, o.getMetadata().getNamespace(), o.getMetadata().getName()), o);
        fire(type, old == null ? "ADDED" : "MODIFIED", o);
        return o;
    }

    /** Sends an event to every watcher of {@code type} (e.g. an ERROR). */
    void emit(ResourceType type, WatchEvent event) {
        watchers.stream().filter(w -> w.type.equals(type)).forEach(w -> w.sink.accept(event));
    }

    int watcherCount() {
        return watchers.size();
    }

    private void fire(ResourceType type, String eventType, HasMetadata o) {
        for (Watcher w : watchers) {
            if (w.type.equals(type) && matches(o, w.options)) {
                w.sink.accept(new WatchEvent(eventType, o));
            }
        }
    }

    @Override
    public java.util.Optional<String> storageProblem() {
        return java.util.Optional.ofNullable(storageProblem);
    }

    @Override
    public HasMetadata get(ResourceType type, String namespace, String name) {
        calls.incrementAndGet();
        Error error = nextGetError;
        if (error != null) {
            nextGetError = null;
            throw error;
        }
        HasMetadata o = objects.get(key(type, namespace, name));
        if (o == null) {
            throw new ApiException.NotFound(type.group(), type.plural(), name);
        }
        return o;
    }

    @Override
    public ListResult list(ResourceType type, ListOptions options) {
        calls.incrementAndGet();
        lastList = options;
        return new ListResult(matching(type, options), Long.toString(rv.get()), null, null);
    }

    private List<HasMetadata> matching(ResourceType type, ListOptions options) {
        String prefix = type.apiVersion() + "/" + type.plural() + "/";
        List<HasMetadata> out = new ArrayList<>();
        objects.forEach((k, o) -> {
            if (k.startsWith(prefix) && matches(o, options)) {
                out.add(o);
            }
        });
        out.sort(Comparator.comparing(o -> o.getMetadata().getName()));
        return out;
    }

    private static boolean matches(HasMetadata o, ListOptions options) {
        if (options.namespace() != null && !options.namespace().equals(o.getMetadata().getNamespace())) {
            return false;
        }
        String ls = options.labelSelector();
        if (ls != null && !ls.isEmpty()) {
            for (String term : ls.split(",")) {
                String[] kv = term.split("=", 2);
                Map<String, String> labels = o.getMetadata().getLabels();
                if (labels == null || !kv[1].equals(labels.get(kv[0]))) {
                    return false;
                }
            }
        }
        String fs = options.fieldSelector();
        return fs == null || fs.isEmpty() || fs.equals("metadata.name=" + o.getMetadata().getName());
    }

    @Override
    public WriteResult create(ResourceType type, String namespace, JsonNode body, WriteOptions options) {
        calls.incrementAndGet();
        lastWrite = options;
        HasMetadata o = convert(type, body);
        if (namespace != null) {
            o.getMetadata().setNamespace(namespace);
        }
        if (objects.containsKey(key(type, namespace, o.getMetadata().getName()))) {
            throw new ApiException.AlreadyExists(type.group(), type.plural(), o.getMetadata().getName());
        }
        o.getMetadata().setUid("uid-" + o.getMetadata().getName());
        if (!options.dryRun()) {
            put(type, o);
        }
        return new WriteResult(o, true, warnings);
    }

    @Override
    public WriteResult update(ResourceType type, String namespace, String name, JsonNode body, WriteOptions options,
            Part part) {
        calls.incrementAndGet();
        lastWrite = options;
        lastPart = part;
        get(type, namespace, name);
        HasMetadata o = convert(type, body);
        o.getMetadata().setNamespace(namespace);
        return new WriteResult(put(type, o), false, warnings);
    }

    @Override
    public WriteResult patch(ResourceType type, String namespace, String name, PatchType patchType, byte[] body,
            WriteOptions options, Part part) {
        calls.incrementAndGet();
        lastWrite = options;
        lastPatchType = patchType;
        lastPatchBody = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        lastPart = part;
        HasMetadata existing = objects.get(key(type, namespace, name));
        try {
            JsonNode patch = JSON.readTree(body);
            if (existing == null) {
                if (patchType != PatchType.APPLY) {
                    throw new ApiException.NotFound(type.group(), type.plural(), name);
                }
                HasMetadata o = convert(type, patch);
                o.getMetadata().setNamespace(namespace);
                return new WriteResult(put(type, o), true, warnings);
            }
            ObjectNode tree = JSON.valueToTree(existing);
            merge(tree, patch);
            return new WriteResult(put(type, convert(type, tree)), false, warnings);
        } catch (IOException e) {
            throw new ApiException.BadRequest("bad patch: " + e.getMessage());
        }
    }

    private static void merge(ObjectNode target, JsonNode patch) {
        patch.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (v.isNull()) {
                target.remove(e.getKey());
            } else if (v.isObject() && target.get(e.getKey()) instanceof ObjectNode child) {
                merge(child, v);
            } else {
                target.set(e.getKey(), v);
            }
        });
    }

    @Override
    public DeleteResult delete(ResourceType type, String namespace, String name, DeleteOptions options) {
        calls.incrementAndGet();
        lastDelete = options;
        HasMetadata o = get(type, namespace, name);
        objects.remove(key(type, namespace, name));
        o.getMetadata().setResourceVersion(Long.toString(rv.incrementAndGet()));
        fire(type, "DELETED", o);
        return new DeleteResult(o, true);
    }

    @Override
    public WatchHandle watch(ResourceType type, ListOptions options, Consumer<WatchEvent> sink) {
        calls.incrementAndGet();
        lastList = options;
        String from = options.resourceVersion();
        if ("1".equals(from)) {
            throw new ApiException.Gone("too old resource version: 1 (" + rv.get() + ")");
        }
        if (from == null || from.equals("0")) {
            matching(type, options).forEach(o -> sink.accept(new WatchEvent("ADDED", o)));
        }
        Watcher w = new Watcher(type, options, sink);
        watchers.add(w);
        return () -> watchers.remove(w);
    }

    private static HasMetadata convert(ResourceType type, JsonNode body) {
        try {
            return JSON.treeToValue(body, type.javaType());
        } catch (IOException e) {
            throw new ApiException.BadRequest("cannot decode: " + e.getMessage());
        }
    }
}
