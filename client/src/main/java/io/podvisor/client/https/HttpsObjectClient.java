package io.podvisor.client.https;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JavaType;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.core.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;

/**
 * {@link ObjectClient} over HTTPS to any Kubernetes API server (podvisor's own or upstream's), with
 * the same semantics as the in-process transport: a missing object is null on {@code get} and
 * {@link ApiException.NotFound} elsewhere, refusals are the {@link ApiException} the server's
 * {@code Status} names, {@code watchFrom} a revision that left the server's history ends with
 * {@link ApiException.Gone}. Requests and retries: {@link ApiConnection}; watches:
 * {@link HttpsWatch}. Each object is decoded once, by the project's JSON codec, straight from the
 * response.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class HttpsObjectClient implements ObjectClient, AutoCloseable {

    private final ApiConnection api;

    /**
     * @param clock what retry back-off waits on
     * @throws IOException when the kubeconfig's TLS material cannot be read
     */
    public HttpsObjectClient(Kubeconfig config, Clock clock) throws IOException {
        this(config, clock, ApiConnection.Options.DEFAULT);
    }

    HttpsObjectClient(Kubeconfig config, Clock clock, ApiConnection.Options options) throws IOException {
        this.api = new ApiConnection(config, clock, options);
    }

    /** A client for the current context of a kubeconfig file. */
    public static HttpsObjectClient fromKubeconfig(Path file, Clock clock) throws IOException {
        return new HttpsObjectClient(Kubeconfig.load(file), clock);
    }

    @Override
    public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        ResourceType rt = ResourceTypes.of(type);
        try {
            return decode(api.send("GET", path(rt, namespace, name, null), null).body(), type);
        } catch (ApiException.NotFound e) {
            return null;
        }
    }

    @Override
    public <T extends HasMetadata> List<T> list(Class<T> type, String namespace, String labelSelector, String fieldSelector) {
        return listWithVersion(type, namespace, labelSelector, fieldSelector).items();
    }

    @Override
    public <T extends HasMetadata> Listing<T> listWithVersion(Class<T> type, String namespace, String labelSelector,
            String fieldSelector) {
        ResourceType rt = ResourceTypes.of(type);
        String q = query(labelSelector, fieldSelector, null);
        byte[] body = api.send("GET", path(rt, namespace, null, null) + q, null).body();
        JavaType listType = ApiConnection.JSON.getTypeFactory().constructParametricType(ListBody.class, type);
        try {
            ListBody<T> list = ApiConnection.JSON.readValue(body, listType);
            List<T> items = list.items == null ? List.of() : list.items;
            return new Listing<>(items, list.metadata == null ? null : list.metadata.getResourceVersion());
        } catch (IOException e) {
            throw undecodable(rt, e);
        }
    }

    /** A list's body: its metadata and items, decoded in one pass. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ListBody<T> {
        public ListMeta metadata;
        public List<T> items;
    }

    @Override
    public <T extends HasMetadata> T create(T object) {
        ResourceType rt = ResourceTypes.of(object.getClass());
        String ns = rt.namespaced() ? object.getMetadata().getNamespace() : null;
        return decode(api.send("POST", path(rt, ns, null, null), encode(rt, object)).body(), type(object));
    }

    @Override
    public <T extends HasMetadata> T update(T object) {
        return put(object, null);
    }

    @Override
    public <T extends HasMetadata> T updateStatus(T object) {
        return put(object, "status");
    }

    private <T extends HasMetadata> T put(T object, String subresource) {
        ResourceType rt = ResourceTypes.of(object.getClass());
        String ns = rt.namespaced() ? object.getMetadata().getNamespace() : null;
        String name = object.getMetadata().getName();
        return decode(api.send("PUT", path(rt, ns, name, subresource), encode(rt, object)).body(), type(object));
    }

    @Override
    public <T extends HasMetadata> void delete(Class<T> type, String namespace, String name, Long gracePeriodSeconds) {
        delete(type, namespace, name, gracePeriodSeconds, "Background");
    }

    @Override
    public <T extends HasMetadata> void delete(Class<T> type, String namespace, String name, Long gracePeriodSeconds,
            String propagationPolicy) {
        ResourceType rt = ResourceTypes.of(type);
        DeleteOptions o = new DeleteOptions();
        o.setApiVersion("v1");
        o.setKind("DeleteOptions");
        o.setGracePeriodSeconds(gracePeriodSeconds);
        o.setPropagationPolicy(propagationPolicy);
        api.send("DELETE", path(rt, namespace, name, null), json(o));
    }

    /**
     * Deletes only the object with {@code uid} (a {@code preconditions.uid}): a newer object of the
     * same name is left alone (409 Conflict, as upstream refuses a failed precondition).
     */
    void deleteWithUid(Class<? extends HasMetadata> type, String namespace, String name, String uid, Long gracePeriodSeconds) {
        ResourceType rt = ResourceTypes.of(type);
        DeleteOptions o = new DeleteOptions();
        o.setApiVersion("v1");
        o.setKind("DeleteOptions");
        o.setGracePeriodSeconds(gracePeriodSeconds);
        o.setPreconditions(new io.fabric8.kubernetes.api.model.Preconditions(null, uid));
        api.send("DELETE", path(rt, namespace, name, null), json(o));
    }

    @Override
    public Pod bind(String namespace, String name, String nodeName) {
        Binding b = new Binding();
        b.setApiVersion("v1");
        b.setKind("Binding");
        b.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        ObjectReference target = new ObjectReference();
        target.setApiVersion("v1");
        target.setKind("Node");
        target.setName(nodeName);
        b.setTarget(target);
        api.send("POST", path(ResourceTypes.PODS, namespace, name, "binding"), json(b));
        Pod pod = get(Pod.class, namespace, name);
        if (pod == null) {
            throw new ApiException.NotFound("", "pods", name);
        }
        return pod;
    }

    @Override
    public <T extends HasMetadata> Subscription watch(Class<T> type, String namespace, WatchHandler<T> handler) {
        Listing<T> listing = listWithVersion(type, namespace, null, null);
        for (T object : listing.items()) {
            handler.onEvent("ADDED", object);
        }
        return watchFrom(type, namespace, null, null, listing.resourceVersion(), new WatchHandler<>() {
            @Override
            public void onEvent(String eventType, T object) {
                if (!eventType.equals("BOOKMARK")) {
                    handler.onEvent(eventType, object);
                }
            }

            @Override
            public void onClosed(RuntimeException cause) {
                handler.onClosed(cause);
            }
        });
    }

    @Override
    public <T extends HasMetadata> Subscription watchFrom(Class<T> type, String namespace, String labelSelector,
            String fieldSelector, String resourceVersion, WatchHandler<T> handler) {
        if (resourceVersion == null || resourceVersion.isEmpty()) {
            throw new ApiException.BadRequest("a watch from a resourceVersion needs one");
        }
        ResourceType rt = ResourceTypes.of(type);
        String path = path(rt, namespace, null, null);
        return HttpsWatch.start(api, rt, type, rv -> path + query(labelSelector, fieldSelector, rv), resourceVersion, handler);
    }

    @Override
    public void close() {
        api.close();
    }

    // ---- paths and bodies

    static String path(ResourceType rt, String namespace, String name, String subresource) {
        StringBuilder b = new StringBuilder(rt.group().isEmpty() ? "/api/" + rt.version() : "/apis/" + rt.group() + "/" + rt.version());
        if (rt.namespaced() && namespace != null && !namespace.isEmpty()) {
            b.append("/namespaces/").append(segment(namespace));
        }
        b.append('/').append(rt.plural());
        if (name != null) {
            b.append('/').append(segment(name));
        }
        if (subresource != null) {
            b.append('/').append(subresource);
        }
        return b.toString();
    }

    /** The query of a list ({@code watchFrom == null}) or of a watch from that revision with bookmarks. */
    static String query(String labelSelector, String fieldSelector, String watchFrom) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        if (labelSelector != null && !labelSelector.isEmpty()) {
            q.add("labelSelector=" + URLEncoder.encode(labelSelector, StandardCharsets.UTF_8));
        }
        if (fieldSelector != null && !fieldSelector.isEmpty()) {
            q.add("fieldSelector=" + URLEncoder.encode(fieldSelector, StandardCharsets.UTF_8));
        }
        if (watchFrom != null) {
            q.add("watch=true").add("allowWatchBookmarks=true")
                    .add("resourceVersion=" + URLEncoder.encode(watchFrom, StandardCharsets.UTF_8))
                    .add("timeoutSeconds=" + HttpsWatch.TIMEOUT.toSeconds());
        }
        return q.toString();
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] encode(ResourceType rt, HasMetadata object) {
        return json(object); // model objects carry their apiVersion and kind from construction
    }

    private static byte[] json(Object o) {
        try {
            return ApiConnection.JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T decode(byte[] body, Class<T> type) {
        try {
            return ApiConnection.JSON.readValue(body, type);
        } catch (IOException e) {
            throw new ApiException.Internal("cannot decode the server's " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    private static ApiException undecodable(ResourceType rt, IOException e) {
        return new ApiException.Internal("cannot decode the server's " + rt.listKind() + ": " + e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> Class<T> type(T object) {
        return (Class<T>) object.getClass();
    }
}
