package io.podvisor.client.https;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.ClusterClient;
import io.podvisor.api.Yaml;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.events.EventSink;
import io.podvisor.client.informers.ListWatch;
import io.podvisor.client.informers.SharedIndexInformer;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link ClusterClient} (what a kubelet needs of the API) over {@link HttpsObjectClient}, for a
 * kubelet joining an API server on another machine: its node's pods from a shared informer on
 * {@code spec.nodeName} (so a lost watch or a 410 re-lists without losing a delete), status writes
 * guarded by the pod's uid and retried over conflicts, the final delete with a uid precondition,
 * core/v1 Events written in order on one executor key. It reads no ConfigMap, Secret or Service
 * (the interface's defaults): a kubelet reads those from shared informers, through
 * {@link io.podvisor.client.node.CachedClusterClient} with this client for its writes, so a sync
 * never waits on the API. Pods handed to the listener are copies it may keep.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class HttpsClusterClient implements ClusterClient, AutoCloseable {

    private static final int ATTEMPTS = 16;
    private static final String EVENTS_KEY = "https-event-writer";

    private final HttpsObjectClient objects;
    private final Clock clock;
    private final KeyedExecutor executor;
    private final List<SharedIndexInformer<Pod>> informers = new CopyOnWriteArrayList<>();
    private final EventSink events = new Events();

    public HttpsClusterClient(HttpsObjectClient objects, Clock clock, KeyedExecutor executor) {
        this.objects = objects;
        this.clock = clock;
        this.executor = executor;
    }

    @Override
    public void watchPods(String nodeName, PodListener listener) {
        SharedIndexInformer<Pod> informer = new SharedIndexInformer<>("pods spec.nodeName=" + nodeName,
                ListWatch.of(objects, Pod.class, null, null, "spec.nodeName=" + nodeName), clock, executor, Duration.ZERO);
        informer.addEventHandler(io.podvisor.client.node.CachedClusterClient.podHandler(listener, Yaml::copy));
        informers.add(informer);
        informer.start();
    }

    @Override
    public Pod updatePodStatus(String namespace, String name, String uid, PodStatus status) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Pod current = objects.get(Pod.class, namespace, name);
            if (current == null || !uid.equals(current.getMetadata().getUid())) {
                return null;
            }
            current.setStatus(Yaml.copy(status));
            try {
                return objects.updateStatus(current);
            } catch (ApiException.Conflict e) {
                // changed meanwhile: write the status over the newer object
            } catch (ApiException.NotFound e) {
                return null;
            }
        }
        throw new ApiException.Conflict("", "pods", name, "the object has been modified; please apply your changes to "
                + "the latest version and try again");
    }

    @Override
    public void deletePodFinal(String namespace, String name, String uid) {
        try {
            objects.deleteWithUid(Pod.class, namespace, name, uid, 0L);
        } catch (ApiException.NotFound | ApiException.Conflict e) {
            // already gone, or a newer pod of the same name
        }
    }

    @Override
    public EventSink events() {
        return events;
    }

    /** Stops the pod informers. */
    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }

    /** Events written in order on one key: create (or update when it exists), update (or create when it expired). */
    private final class Events implements EventSink {
        @Override
        public void create(Event event) {
            executor.execute(EVENTS_KEY, () -> write(event, true));
        }

        @Override
        public void update(Event event) {
            executor.execute(EVENTS_KEY, () -> write(event, false));
        }

        private void write(Event event, boolean create) {
            event.getMetadata().setResourceVersion(null);
            event.getMetadata().setUid(null); // a replacement must not carry a uid precondition
            try {
                try {
                    if (create) {
                        objects.create(event);
                    } else {
                        objects.update(event);
                    }
                } catch (ApiException.AlreadyExists | ApiException.NotFound e) {
                    if (create) {
                        objects.update(event);
                    } else {
                        objects.create(event);
                    }
                }
            } catch (ApiException e) {
                // best effort: an event that cannot be written is dropped
            }
        }
    }
}
