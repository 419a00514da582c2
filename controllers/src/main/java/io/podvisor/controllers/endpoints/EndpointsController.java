package io.podvisor.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.podvisor.api.LabelSelectors;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.controllers.NameSuffix;
import io.podvisor.controllers.ObjectKeys;
import io.podvisor.controllers.Owners;
import io.podvisor.controllers.WorkQueue;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Keeps {@code Endpoints} and managed {@code EndpointSlice}s in step with each Service that has a
 * selector. Watches services, pods (a pod change queues every known service of its namespace),
 * and deletions of Endpoints/EndpointSlices (to repair them); {@link #sync(String)} writes only
 * what changed and deletes both when the Service is gone. Services without a selector are left
 * alone (their Endpoints are the user's).
 *
 * <p>Thread-safety: one executor key per service; the service index is concurrent.
 */
public final class EndpointsController {

    private final ObjectClient client;
    private final WorkQueue queue;
    private final NameSuffix names;
    private final Map<String, Set<String>> servicesByNamespace = new ConcurrentHashMap<>();
    private final List<ObjectClient.Subscription> watches = new ArrayList<>();

    public EndpointsController(ObjectClient client, Clock clock, KeyedExecutor executor, RandomGenerator random) {
        this.client = client;
        this.names = new NameSuffix(random);
        this.queue = new WorkQueue("endpoints", executor, clock, this::sync);
    }

    /** Starts the watches; every existing service is queued. */
    public void start() {
        watches.add(client.watch(Service.class, null, this::onService));
        watches.add(client.watch(Pod.class, null, (type, pod) -> {
            String ns = pod.getMetadata().getNamespace();
            servicesByNamespace.getOrDefault(ns, Set.of()).forEach(name -> queue.add(ObjectKeys.of(ns, name)));
        }));
        watches.add(client.watch(Endpoints.class, null, (type, ep) -> {
            if ("DELETED".equals(type)) {
                queue.add(ObjectKeys.of(ep));
            }
        }));
        watches.add(client.watch(EndpointSlice.class, null, (type, slice) -> {
            Map<String, String> labels = slice.getMetadata().getLabels();
            if ("DELETED".equals(type) && labels != null
                    && labels.containsKey(SliceContents.LABEL_SERVICE_NAME)) {
                queue.add(ObjectKeys.of(slice.getMetadata().getNamespace(),
                        labels.get(SliceContents.LABEL_SERVICE_NAME)));
            }
        }));
    }

    /** Stops the watches. */
    public void stop() {
        watches.forEach(ObjectClient.Subscription::close);
        watches.clear();
        queue.stop();
    }

    private void onService(String type, Service svc) {
        String ns = svc.getMetadata().getNamespace();
        Set<String> names = servicesByNamespace.computeIfAbsent(ns, k -> ConcurrentHashMap.newKeySet());
        if ("DELETED".equals(type)) {
            names.remove(svc.getMetadata().getName());
        } else {
            names.add(svc.getMetadata().getName());
        }
        queue.add(ObjectKeys.of(svc));
    }

    /** One synchronous step for the service with {@code key}. */
    public void sync(String key) {
        String ns = ObjectKeys.namespace(key);
        String name = ObjectKeys.name(key);
        Service svc = client.get(Service.class, ns, name);
        if (svc == null) {
            deleteQuietly(Endpoints.class, ns, name);
            for (EndpointSlice s : managedSlices(ns, name)) {
                deleteQuietly(EndpointSlice.class, ns, s.getMetadata().getName());
            }
            return;
        }
        Map<String, String> selector = svc.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            return;
        }
        List<Pod> pods = client.list(Pod.class, ns, LabelSelectors.of(selector), null);
        syncEndpoints(svc, pods);
        syncSlices(svc, pods);
    }

    private void syncEndpoints(Service svc, List<Pod> pods) {
        Endpoints desired = EndpointsBuilder.build(svc, pods);
        Endpoints current = client.get(Endpoints.class, svc.getMetadata().getNamespace(), svc.getMetadata().getName());
        if (current == null) {
            client.create(desired);
            return;
        }
        if (Objects.equals(current.getSubsets(), desired.getSubsets())
                && Objects.equals(current.getMetadata().getLabels(), desired.getMetadata().getLabels())) {
            return;
        }
        current.setSubsets(desired.getSubsets());
        current.getMetadata().setLabels(desired.getMetadata().getLabels());
        client.update(current);
    }

    private void syncSlices(Service svc, List<Pod> pods) {
        String ns = svc.getMetadata().getNamespace();
        List<EndpointSlice> existing = new ArrayList<>(managedSlices(ns, svc.getMetadata().getName()));
        Map<String, String> labels = SliceContents.labels(svc);
        for (var want : SliceContents.build(svc, pods)) {
            EndpointSlice match = existing.stream().filter(s -> Objects.equals(s.getPorts(), want.ports())).findFirst()
                    .orElse(existing.isEmpty() ? null : existing.getFirst());
            if (match == null) {
                client.create(newSlice(svc, labels, want));
                continue;
            }
            existing.remove(match);
            if (Objects.equals(match.getPorts(), want.ports()) && Objects.equals(match.getEndpoints(), want.endpoints())
                    && Objects.equals(match.getMetadata().getLabels(), labels)) {
                continue;
            }
            match.setPorts(want.ports());
            match.setEndpoints(want.endpoints());
            match.getMetadata().setLabels(labels);
            client.update(match);
        }
        for (EndpointSlice extra : existing) {
            deleteQuietly(EndpointSlice.class, ns, extra.getMetadata().getName());
        }
    }

    private EndpointSlice newSlice(Service svc, Map<String, String> labels,
            SliceContents.SliceContent content) {
        String base = svc.getMetadata().getName() + "-";
        return new EndpointSliceBuilder()
                .withNewMetadata().withName(names.generate(base)).withGenerateName(NameSuffix.generateNameBase(base))
                    .withNamespace(svc.getMetadata().getNamespace()).withLabels(labels)
                    .withOwnerReferences(Owners.controllerRef(svc)).endMetadata()
                .withAddressType(SliceContents.ADDRESS_TYPE)
                .withEndpoints(content.endpoints()).withPorts(content.ports()).build();
    }

    private List<EndpointSlice> managedSlices(String ns, String service) {
        String selector = SliceContents.LABEL_SERVICE_NAME + "=" + service + ","
                + SliceContents.LABEL_MANAGED_BY + "="
                + SliceContents.MANAGED_BY;
        return client.list(EndpointSlice.class, ns, selector, null);
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> void deleteQuietly(Class<T> type, String ns, String name) {
        try {
            client.delete(type, ns, name, null);
        } catch (ApiException.NotFound gone) {
            // nothing to delete
        }
    }
}
