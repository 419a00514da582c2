package io.podvisor.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.ClusterClient;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.events.EventSink;
import io.podvisor.api.patch.PatchType;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.api.validation.StrictDecoding;
import io.podvisor.apiserver.registry.BodyDecoder.Decoded;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import io.podvisor.store.RevisionConflictException;
import io.podvisor.store.Store;
import java.security.SecureRandom;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The API's object semantics over a {@link Store}, offered three ways: {@link Registry} for the
 * HTTP front, {@link ObjectClient} for controllers and {@link ClusterClient} for the kubelet. All
 * three share one create/update/patch/delete/list/watch implementation, so they behave alike.
 *
 * <p>Lifecycle: construct, {@link #start()} (system namespaces, event expiry), {@link #close()}.
 * Watch deliveries come from the store's delivery thread; bookmarks and event expiry run on the
 * clock's timers; event writes and the kubelet's pod notifications go through the executor.
 *
 * <p>Thread-safety: safe for concurrent use; every write is one conditional store write, retried
 * on a store conflict when the caller gave no resourceVersion precondition.
 */
public final class Registries implements Registry, ObjectClient, ClusterClient, AutoCloseable {

    private final Context ctx;
    private final BodyDecoder decoder;
    private final Creator creator;
    private final Updater updater;
    private final Patcher patcher;
    private final Deleter deleter;
    private final Lister lister;
    private final Watcher watcher;
    private final EventExpiry expiry;
    private final TypedClient typed;
    private final NodeClient node;

    public Registries(Store store, Clock clock, KeyedExecutor executor) {
        this(store, clock, executor, new SecureRandom(), new StandardPatchEngine(), StrictDecoding::unknownFields);
    }

    Registries(Store store, Clock clock, KeyedExecutor executor, RandomGenerator random, PatchEngine patches,
            BodyDecoder.UnknownFields unknownFields) {
        this.ctx = new Context(store, clock, executor, random);
        this.decoder = new BodyDecoder(ctx.codec, unknownFields);
        Remover remover = new Remover(ctx);
        this.creator = new Creator(ctx, new ClusterIps(ctx));
        this.updater = new Updater(ctx, remover);
        this.deleter = new Deleter(ctx, updater, remover);
        this.patcher = new Patcher(ctx, patches, decoder, creator, updater);
        this.lister = new Lister(ctx);
        this.watcher = new Watcher(ctx);
        this.expiry = new EventExpiry(ctx);
        this.typed = new TypedClient(ctx, this, updater);
        this.node = new NodeClient(ctx, this, updater);
    }

    /** Creates the system namespaces (idempotent) and starts expiring events. */
    public void start() {
        new Bootstrap(ctx, creator).run();
        expiry.start();
    }

    /** Stops event expiry and the kubelet's pod watches. */
    @Override
    public void close() {
        expiry.stop();
        node.close();
    }

    // ---- Registry

    @Override
    public java.util.Optional<String> storageProblem() {
        return ctx.store.healthProblem();
    }

    @Override
    public HasMetadata get(ResourceType type, String namespace, String name) {
        return ctx.require(type, scoped(type, namespace), name).object();
    }

    @Override
    public ListResult list(ResourceType type, ListOptions options) {
        return lister.list(type, options);
    }

    @Override
    public WriteResult create(ResourceType type, String namespace, JsonNode body, WriteOptions options) {
        Decoded d = decoder.decode(type, body, options.fieldValidation());
        return creator.create(type, scoped(type, namespace), d.object(), options, d.warnings());
    }

    @Override
    public WriteResult update(ResourceType type, String namespace, String name, JsonNode body, WriteOptions options, Part part) {
        Decoded d = decoder.decode(type, body, options.fieldValidation());
        return updater.update(type, scoped(type, namespace), name, d.object(), options, part, d.warnings());
    }

    @Override
    public WriteResult patch(ResourceType type, String namespace, String name, PatchType patchType, byte[] body,
            WriteOptions options, Part part) {
        return patcher.patch(type, scoped(type, namespace), name, patchType, body, options, part);
    }

    @Override
    public DeleteResult delete(ResourceType type, String namespace, String name, DeleteOptions options) {
        return deleter.delete(type, scoped(type, namespace), name, options);
    }

    @Override
    public WatchHandle watch(ResourceType type, ListOptions options, java.util.function.Consumer<WatchEvent> sink) {
        return watcher.watch(type, options, sink);
    }

    WriteResult createObject(ResourceType type, String namespace, HasMetadata object, WriteOptions options, List<String> warnings) {
        return creator.create(type, scoped(type, namespace), object, options, warnings);
    }

    WriteResult updateObject(ResourceType type, String namespace, String name, HasMetadata object, Part part) {
        return updater.update(type, scoped(type, namespace), name, object, WriteOptions.DEFAULT, part, List.of());
    }

    private static String scoped(ResourceType type, String namespace) {
        return type.namespaced() ? namespace : null;
    }

    // ---- Node registration

    /**
     * Registers this node or replaces its labels, annotations, spec and status (uid and
     * creationTimestamp are kept).
     *
     * @return the node as stored
     */
    public Node upsertNode(Node desired) {
        ResourceType type = ResourceTypes.NODES;
        String name = desired.getMetadata().getName();
        for (int attempt = 0; attempt < 16; attempt++) {
            Stored current = ctx.find(type, null, name);
            HasMetadata next = ctx.codec.copy(type, desired);
            next.getMetadata().setResourceVersion(null);
            try {
                if (current == null) {
                    return (Node) creator.create(type, null, next, WriteOptions.DEFAULT, List.of()).object();
                }
                return (Node) updater.commit(type, current, next, WriteOptions.DEFAULT, Part.MAIN, List.of(), true).object();
            } catch (ApiException.AlreadyExists | RevisionConflictException e) {
                // raced with another writer: try again on the latest state
            }
        }
        throw Context.conflict(type, name);
    }

    // ---- ObjectClient

    @Override
    public <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        return typed.get(type, namespace, name);
    }

    @Override
    public <T extends HasMetadata> List<T> list(Class<T> type, String namespace, String labelSelector, String fieldSelector) {
        return typed.list(type, namespace, labelSelector, fieldSelector);
    }

    @Override
    public <T extends HasMetadata> Listing<T> listWithVersion(Class<T> type, String namespace, String labelSelector,
            String fieldSelector) {
        return typed.listWithVersion(type, namespace, labelSelector, fieldSelector);
    }

    @Override
    public <T extends HasMetadata> T create(T object) {
        return typed.create(object);
    }

    @Override
    public <T extends HasMetadata> T update(T object) {
        return typed.update(object);
    }

    @Override
    public <T extends HasMetadata> T updateStatus(T object) {
        return typed.updateStatus(object);
    }

    @Override
    public <T extends HasMetadata> void delete(Class<T> type, String namespace, String name, Long gracePeriodSeconds) {
        typed.delete(type, namespace, name, gracePeriodSeconds);
    }

    @Override
    public <T extends HasMetadata> void delete(Class<T> type, String namespace, String name, Long gracePeriodSeconds,
            String propagationPolicy) {
        typed.delete(type, namespace, name, gracePeriodSeconds, propagationPolicy);
    }

    @Override
    public Pod bind(String namespace, String name, String nodeName) {
        return typed.bind(namespace, name, nodeName);
    }

    @Override
    public <T extends HasMetadata> Subscription watch(Class<T> type, String namespace, WatchHandler<T> handler) {
        return typed.watch(type, namespace, handler);
    }

    @Override
    public <T extends HasMetadata> Subscription watchFrom(Class<T> type, String namespace, String labelSelector,
            String fieldSelector, String resourceVersion, WatchHandler<T> handler) {
        return typed.watchFrom(type, namespace, labelSelector, fieldSelector, resourceVersion, handler);
    }

    // ---- ClusterClient

    @Override
    public void watchPods(String nodeName, PodListener listener) {
        node.watchPods(nodeName, listener);
    }

    @Override
    public Pod updatePodStatus(String namespace, String name, String uid, PodStatus status) {
        return node.updatePodStatus(namespace, name, uid, status);
    }

    @Override
    public void deletePodFinal(String namespace, String name, String uid) {
        node.deletePodFinal(namespace, name, uid);
    }

    @Override
    public EventSink events() {
        return node.events();
    }
}
