package io.podvisor.kubelet.harness;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.podvisor.api.ClusterClient;
import io.podvisor.api.Times;
import io.podvisor.api.Yaml;
import io.podvisor.api.events.EventSink;
import io.podvisor.api.events.RecordingEventSink;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal API for the kubelet in virtual time: pods by namespace/name, graceful deletion, status
 * updates, recorded events, and the ConfigMaps, Secrets and Services pods refer to. Notifications to the kubelet go through the executor, as a watch
 * would deliver them.
 */
public final class InMemoryCluster implements ClusterClient {

    private final Clock clock;
    private final KeyedExecutor executor;
    private final Map<String, Pod> pods = new LinkedHashMap<>();
    private final Map<String, ConfigMap> configMaps = new LinkedHashMap<>();
    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final RecordingEventSink events = new RecordingEventSink();
    private final List<PodListener> listeners = new ArrayList<>();
    private final List<StatusUpdate> statusUpdates = new ArrayList<>();
    private final List<String> statusLog = new ArrayList<>();
    private long resourceVersion = 1;

    public InMemoryCluster(Clock clock, KeyedExecutor executor) {
        this.clock = clock;
        this.executor = executor;
    }

    private static String key(String ns, String name) {
        return ns + "/" + name;
    }

    public synchronized Pod create(Pod pod) {
        Pod p = Yaml.copy(pod);
        var m = p.getMetadata();
        if (m.getNamespace() == null) {
            m.setNamespace("default");
        }
        if (pods.containsKey(key(m.getNamespace(), m.getName()))) {
            throw new io.podvisor.api.errors.ApiException.AlreadyExists("", "pods", m.getName());
        }
        m.setUid(java.util.UUID.nameUUIDFromBytes((m.getNamespace() + "/" + m.getName() + "/" + resourceVersion).getBytes()).toString());
        m.setCreationTimestamp(Times.format(clock.now()));
        m.setResourceVersion(Long.toString(++resourceVersion));
        if (p.getStatus() == null) {
            p.setStatus(new PodStatus());
        }
        p.getStatus().setPhase("Pending");
        pods.put(key(m.getNamespace(), m.getName()), p);
        notifyUpsert(p);
        return Yaml.copy(p);
    }

    /** Graceful deletion as the API server does it: immediate if terminal, else mark and let the kubelet finish. */
    public synchronized void delete(String ns, String name, Long gracePeriodSeconds) {
        Pod p = pods.get(key(ns, name));
        if (p == null) {
            return;
        }
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        long grace = gracePeriodSeconds != null ? gracePeriodSeconds : p.getSpec().getTerminationGracePeriodSeconds();
        if ("Succeeded".equals(phase) || "Failed".equals(phase) || grace == 0) {
            pods.remove(key(ns, name));
            notifyDelete(p);
            return;
        }
        if (p.getMetadata().getDeletionTimestamp() == null) {
            p.getMetadata().setDeletionTimestamp(Times.format(clock.now()));
            p.getMetadata().setDeletionGracePeriodSeconds(grace);
        } else if (grace < p.getMetadata().getDeletionGracePeriodSeconds()) {
            p.getMetadata().setDeletionGracePeriodSeconds(grace);
        }
        p.getMetadata().setResourceVersion(Long.toString(++resourceVersion));
        notifyUpsert(p);
    }

    /** Replaces a pod's metadata and spec, as an API update would (the status is kept). */
    public synchronized Pod update(Pod pod) {
        var m = pod.getMetadata();
        Pod old = pods.get(key(m.getNamespace(), m.getName()));
        if (old == null) {
            throw new io.podvisor.api.errors.ApiException.NotFound("", "pods", m.getName());
        }
        Pod p = Yaml.copy(pod);
        p.setStatus(old.getStatus());
        p.getMetadata().setUid(old.getMetadata().getUid());
        p.getMetadata().setResourceVersion(Long.toString(++resourceVersion));
        pods.put(key(m.getNamespace(), m.getName()), p);
        notifyUpsert(p);
        return Yaml.copy(p);
    }

    public synchronized Pod get(String ns, String name) {
        Pod p = pods.get(key(ns, name));
        return p == null ? null : Yaml.copy(p);
    }

    /** Every pod as stored, in creation order. */
    public synchronized List<Pod> pods() {
        return pods.values().stream().map(Yaml::copy).toList();
    }

    /** A pod as one status update left it, and when. */
    public record StatusUpdate(java.time.Instant at, Pod pod) {}

    /** Every status update with the pod it left, oldest first. */
    public synchronized List<StatusUpdate> statusUpdates() {
        return List.copyOf(statusUpdates);
    }

    /** Every status update, as "<epoch-seconds> <name> <phase>". */
    public synchronized List<String> statusLog() {
        return List.copyOf(statusLog);
    }

    public RecordingEventSink recorded() {
        return events;
    }

    @Override
    public synchronized void watchPods(String nodeName, PodListener listener) {
        listeners.add(listener);
        pods.values().forEach(p -> {
            Pod copy = Yaml.copy(p);
            executor.execute("watch", () -> listener.onUpsert(copy));
        });
    }

    @Override
    public synchronized Pod updatePodStatus(String namespace, String name, String uid, PodStatus status) {
        Pod p = pods.get(key(namespace, name));
        if (p == null || !p.getMetadata().getUid().equals(uid)) {
            return null;
        }
        p.setStatus(Yaml.copy(status));
        p.getMetadata().setResourceVersion(Long.toString(++resourceVersion));
        statusLog.add(clock.now().getEpochSecond() + " " + name + " " + status.getPhase());
        statusUpdates.add(new StatusUpdate(clock.now(), Yaml.copy(p)));
        return Yaml.copy(p);
    }

    @Override
    public synchronized void deletePodFinal(String namespace, String name, String uid) {
        Pod p = pods.get(key(namespace, name));
        if (p != null && p.getMetadata().getUid().equals(uid)) {
            pods.remove(key(namespace, name));
            notifyDelete(p);
        }
    }

    @Override
    public EventSink events() {
        return events;
    }

    /** Creates or replaces a ConfigMap (namespace {@code default} when unset). */
    public synchronized void put(ConfigMap cm) {
        ConfigMap c = Yaml.copy(cm);
        if (c.getMetadata().getNamespace() == null) {
            c.getMetadata().setNamespace("default");
        }
        configMaps.put(key(c.getMetadata().getNamespace(), c.getMetadata().getName()), c);
    }

    /** Creates or replaces a Secret (namespace {@code default} when unset). */
    public synchronized void put(Secret secret) {
        Secret s = Yaml.copy(secret);
        if (s.getMetadata().getNamespace() == null) {
            s.getMetadata().setNamespace("default");
        }
        secrets.put(key(s.getMetadata().getNamespace(), s.getMetadata().getName()), s);
    }

    public synchronized void deleteConfigMap(String ns, String name) {
        configMaps.remove(key(ns, name));
    }

    @Override
    public synchronized ConfigMap configMap(String namespace, String name) {
        ConfigMap c = configMaps.get(key(namespace, name));
        return c == null ? null : Yaml.copy(c);
    }

    @Override
    public synchronized Secret secret(String namespace, String name) {
        Secret s = secrets.get(key(namespace, name));
        return s == null ? null : Yaml.copy(s);
    }

    /** Adds or replaces a Service (namespace {@code default} unless given) that containers' Service variables come from. */
    public synchronized void put(Service service) {
        Service s = Yaml.copy(service);
        if (s.getMetadata().getNamespace() == null) {
            s.getMetadata().setNamespace("default");
        }
        services.put(key(s.getMetadata().getNamespace(), s.getMetadata().getName()), s);
    }

    @Override
    public synchronized List<Service> services(String namespace) {
        return services.values().stream().filter(s -> s.getMetadata().getNamespace().equals(namespace))
                .map(Yaml::copy).toList();
    }

    private void notifyUpsert(Pod p) {
        for (PodListener l : listeners) {
            Pod copy = Yaml.copy(p);
            executor.execute("watch", () -> l.onUpsert(copy));
        }
    }

    private void notifyDelete(Pod p) {
        for (PodListener l : listeners) {
            Pod copy = Yaml.copy(p);
            executor.execute("watch", () -> l.onDelete(copy));
        }
    }
}
