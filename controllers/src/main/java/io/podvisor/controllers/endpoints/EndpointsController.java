package io.podvisor.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.podvisor.api.LabelSelectors;
import io.podvisor.api.Yaml;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.client.informers.ResourceEventHandler;
import io.podvisor.client.informers.SharedIndexInformer;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.controllers.CacheGate;
import io.podvisor.controllers.Expectations;
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
import java.util.random.RandomGenerator;

/**
 * Keeps {@code Endpoints} and managed {@code EndpointSlice}s in step with each Service that has a
 * selector. Reads services, pods, Endpoints and EndpointSlices from the shared informers' caches (a
 * pod change queues every service of its namespace; a deleted Endpoints or managed slice queues
 * its service, to repair it); {@link #sync(String)} writes through the API only what changed and
 * deletes both when the Service is gone. Services without a selector are left alone (their
 * Endpoints are the user's).
 *
 * <p>Nothing is synced before the handlers saw the first lists, nor while the caches have not yet
 * shown this controller's own writes for that service ({@link Expectations}; a slice written but not
 * yet cached would otherwise be created twice). Cached objects are copied before they are changed.
 *
 * <p>Thread-safety: one executor key per service.
 */
public final class EndpointsController {

    private final ObjectClient client;
    private final WorkQueue queue;
    private final NameSuffix names;
    private final Expectations expectations;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Endpoints> endpoints;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final List<SharedIndexInformer.Registration> registrations = new ArrayList<>();
    private final CacheGate gate;

    /** A controller reading from {@code informers} (their owner starts them) and writing through {@code client}. */
    public EndpointsController(ObjectClient client, SharedInformerFactory informers, Clock clock, KeyedExecutor executor,
            RandomGenerator random) {
        this.client = client;
        this.names = new NameSuffix(random);
        this.queue = new WorkQueue("endpoints", executor, clock, this::sync);
        this.expectations = new Expectations(clock);
        this.gate = new CacheGate(queue, expectations);
        this.services = informers.informerFor(Service.class);
        this.pods = informers.informerFor(Pod.class);
        this.endpoints = informers.informerFor(Endpoints.class);
        this.slices = informers.informerFor(EndpointSlice.class);
    }

    /** Adds the informer handlers; every cached service is queued once the informers run. */
    public void start() {
        registrations.add(services.addEventHandler(ResourceEventHandler.keys(queue::add)));
        registrations.add(pods.addEventHandler(CacheGate.changes((pod, gone) -> {
            String ns = pod.getMetadata().getNamespace();
            services.lister().list(ns).forEach(svc -> queue.add(ObjectKeys.of(svc)));
        })));
        registrations.add(endpoints.addEventHandler(CacheGate.changes((ep, gone) -> {
            String owner = expectations.observe(ep, gone);
            if (gone || owner != null) {
                queue.add(ObjectKeys.of(ep));
            }
        })));
        registrations.add(slices.addEventHandler(CacheGate.changes((slice, gone) -> {
            String owner = expectations.observe(slice, gone);
            if (owner != null) {
                queue.add(owner);
            }
            String service = serviceOf(slice);
            if (gone && service != null) {
                queue.add(ObjectKeys.of(slice.getMetadata().getNamespace(), service));
            }
        })));
        gate.awaitFirstLists(registrations);
    }

    /** Removes the handlers and stops the timers. */
    public void stop() {
        registrations.forEach(SharedIndexInformer.Registration::close);
        registrations.clear();
        queue.stop();
    }

    private static String serviceOf(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        return labels == null ? null : labels.get(SliceContents.LABEL_SERVICE_NAME);
    }

    /** One synchronous step for the service with {@code key}, once the caches are synced. */
    public void sync(String key) {
        if (!gate.open(key)) {
            return;
        }
        String ns = ObjectKeys.namespace(key);
        String name = ObjectKeys.name(key);
        Service svc = services.lister().get(ns, name);
        if (svc == null) {
            Endpoints ep = endpoints.lister().get(ns, name);
            if (ep != null) {
                delete(key, ep, endpoints);
            }
            for (EndpointSlice s : managedSlices(ns, name)) {
                delete(key, s, slices);
            }
            return;
        }
        Map<String, String> selector = svc.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            return;
        }
        List<Pod> selected = pods.lister().list(ns).stream()
                .filter(p -> LabelSelectors.matches(selector, p.getMetadata().getLabels())).toList();
        syncEndpoints(key, svc, selected);
        syncSlices(key, svc, selected);
    }

    private void syncEndpoints(String key, Service svc, List<Pod> selected) {
        Endpoints desired = EndpointsBuilder.build(svc, selected);
        Endpoints cached = endpoints.lister().get(svc.getMetadata().getNamespace(), svc.getMetadata().getName());
        if (cached == null) {
            expectations.expectVersion(key, client.create(desired), endpoints.lister());
            return;
        }
        if (Objects.equals(cached.getSubsets(), desired.getSubsets())
                && orEmpty(cached.getMetadata().getLabels()).equals(orEmpty(desired.getMetadata().getLabels()))) {
            return;
        }
        Endpoints current = Yaml.copy(cached);
        current.setSubsets(desired.getSubsets());
        current.getMetadata().setLabels(desired.getMetadata().getLabels());
        expectations.expectVersion(key, client.update(current), endpoints.lister());
    }

    private void syncSlices(String key, Service svc, List<Pod> selected) {
        String ns = svc.getMetadata().getNamespace();
        List<EndpointSlice> existing = new ArrayList<>(managedSlices(ns, svc.getMetadata().getName()));
        Map<String, String> labels = SliceContents.labels(svc);
        for (var want : SliceContents.build(svc, selected)) {
            EndpointSlice match = existing.stream().filter(s -> Objects.equals(s.getPorts(), want.ports())).findFirst()
                    .orElse(existing.isEmpty() ? null : existing.getFirst());
            if (match == null) {
                expectations.expectVersion(key, client.create(newSlice(svc, labels, want)), slices.lister());
                continue;
            }
            existing.remove(match);
            if (Objects.equals(match.getPorts(), want.ports()) && Objects.equals(match.getEndpoints(), want.endpoints())
                    && Objects.equals(match.getMetadata().getLabels(), labels)) {
                continue;
            }
            EndpointSlice changed = Yaml.copy(match);
            changed.setPorts(want.ports());
            changed.setEndpoints(want.endpoints());
            changed.getMetadata().setLabels(labels);
            expectations.expectVersion(key, client.update(changed), slices.lister());
        }
        for (EndpointSlice extra : existing) {
            delete(key, extra, slices);
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

    /** Labels as the API stores them: none and an empty map are the same. */
    private static Map<String, String> orEmpty(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

    /** The cached slices this controller manages for {@code service}. */
    private List<EndpointSlice> managedSlices(String ns, String service) {
        return slices.lister().list(ns).stream().filter(s -> {
            Map<String, String> labels = s.getMetadata().getLabels();
            return labels != null && service.equals(labels.get(SliceContents.LABEL_SERVICE_NAME))
                    && SliceContents.MANAGED_BY.equals(labels.get(SliceContents.LABEL_MANAGED_BY));
        }).toList();
    }

    private <T extends HasMetadata> void delete(String key, T object, SharedIndexInformer<T> cache) {
        try {
            client.delete(object.getClass(), object.getMetadata().getNamespace(), object.getMetadata().getName(), null);
        } catch (ApiException.NotFound gone) {
            return;
        }
        expectations.expectDeletion(key, object, cache.lister());
    }
}
