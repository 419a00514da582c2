package io.podvisor.controllers.scheduler;

import io.fabric8.kubernetes.api.model.EventSourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.podvisor.api.Times;
import io.podvisor.api.Yaml;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.events.EventRecorder;
import io.podvisor.api.events.EventSink;
import io.podvisor.api.events.EventTypes;
import io.podvisor.api.events.Reasons;
import io.podvisor.client.informers.ResourceEventHandler;
import io.podvisor.client.informers.SharedIndexInformer;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.controllers.ObjectKeys;
import io.podvisor.controllers.Owners;
import io.podvisor.controllers.Pods;
import io.podvisor.controllers.WorkQueue;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Schedules pending pods ({@code schedulerName} {@code default-scheduler} or unset, no
 * {@code nodeName}, not deleting) onto the one node: {@link NodeFit} decides; a fit is bound with
 * {@link ObjectClient#bind} and a {@code Scheduled} event; a misfit gets a {@code FailedScheduling}
 * Warning and {@code PodScheduled=False} (reason {@code Unschedulable}) with the same message, and
 * is retried when a pod on the node finishes or is deleted, when the Node changes, and every
 * {@code retryPeriod}. Events come from {@code default-scheduler}.
 *
 * <p>Pods and the Node are read from the shared informers' caches (writes go to the API); nothing
 * is placed before both caches are synced and this scheduler's handlers have seen their first
 * lists. The node's pods' requests are kept from the pod informer's events ({@link NodePods}), with
 * each pod it binds counted from the binding on. Thread-safety: fit and bind run under one lock,
 * so two pods never take the same capacity.
 */
public final class Scheduler {

    /** The event source component and the scheduler name this scheduler serves. */
    public static final String NAME = "default-scheduler";
    /** Upstream moves unschedulable pods back for another attempt after 5 minutes. */
    public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofMinutes(5);

    private final ObjectClient client;
    private final Clock clock;
    private final String nodeName;
    private final Duration retryPeriod;
    private final EventRecorder events;
    private final WorkQueue queue;
    private final Set<String> unschedulable = ConcurrentHashMap.newKeySet();
    private final List<SharedIndexInformer.Registration> registrations = new ArrayList<>();
    private final Object fitLock = new Object();
    private final NodePods nodePods;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Node> nodes;
    private final CompletableFuture<Void> handlersSynced = new CompletableFuture<>();

    /** A scheduler reading from {@code informers} (their owner starts them) and writing through {@code client}. */
    public Scheduler(ObjectClient client, SharedInformerFactory informers, Clock clock, KeyedExecutor executor,
            EventSink sink, String nodeName) {
        this(client, informers, clock, executor, sink, nodeName, DEFAULT_RETRY_PERIOD);
    }

    public Scheduler(ObjectClient client, SharedInformerFactory informers, Clock clock, KeyedExecutor executor,
            EventSink sink, String nodeName, Duration retryPeriod) {
        this.client = client;
        this.pods = informers.informerFor(Pod.class);
        this.nodes = informers.informerFor(Node.class);
        this.clock = clock;
        this.nodeName = nodeName;
        this.retryPeriod = retryPeriod;
        this.events = new EventRecorder(clock, sink, new EventSourceBuilder().withComponent(NAME).build());
        this.queue = new WorkQueue("scheduler", executor, clock, this::sync);
        this.nodePods = new NodePods(nodeName);
    }

    /** Adds the informer handlers and starts the periodic retry. */
    public void start() {
        SharedIndexInformer.Registration podReg = pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                onPod("ADDED", pod, false);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                onPod("MODIFIED", pod, false);
            }

            @Override
            public void onDelete(Pod pod, boolean finalStateUnknown) {
                onPod("DELETED", pod, finalStateUnknown);
            }
        });
        SharedIndexInformer.Registration nodeReg = nodes.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                onNode(node);
            }

            @Override
            public void onUpdate(Node oldNode, Node node) {
                onNode(node);
            }

            @Override
            public void onDelete(Node node, boolean finalStateUnknown) {
                onNode(node);
            }
        });
        registrations.add(podReg);
        registrations.add(nodeReg);
        CompletableFuture.allOf(podReg.synced().toCompletableFuture(), nodeReg.synced().toCompletableFuture())
                .thenRun(() -> handlersSynced.complete(null));
        queue.every(retryPeriod, this::retryUnschedulable);
    }

    /** Removes the handlers and stops the timers. */
    public void stop() {
        registrations.forEach(SharedIndexInformer.Registration::close);
        registrations.clear();
        queue.stop();
    }

    private void onNode(Node node) {
        if (nodeName.equals(node.getMetadata().getName())) {
            retryUnschedulable();
        }
    }

    private void onPod(String type, Pod pod, boolean finalStateUnknown) {
        if (finalStateUnknown) {
            nodePods.forget(pod);
        } else {
            nodePods.observe(type, pod);
        }
        String key = ObjectKeys.of(pod);
        boolean onNode = nodeName.equals(pod.getSpec().getNodeName());
        if ("DELETED".equals(type)) {
            unschedulable.remove(key);
            if (onNode) {
                retryUnschedulable();
            }
        } else if (needsScheduling(pod)) {
            if (!("MODIFIED".equals(type) && unschedulable.contains(key))) {
                queue.add(key);
            }
        } else if (onNode && Pods.isTerminal(pod)) {
            retryUnschedulable();
        }
    }

    private void retryUnschedulable() {
        unschedulable.forEach(queue::add);
    }

    /** Whether this scheduler should place {@code pod}. */
    public static boolean needsScheduling(Pod pod) {
        String scheduler = pod.getSpec().getSchedulerName();
        String node = pod.getSpec().getNodeName();
        return (node == null || node.isEmpty()) && (scheduler == null || scheduler.isEmpty() || NAME.equals(scheduler))
                && !Pods.isDeleting(pod) && !Pods.isTerminal(pod);
    }

    /** One scheduling attempt for the pod with {@code key}, once the caches are synced. */
    public void sync(String key) {
        if (!handlersSynced.isDone()) {
            handlersSynced.thenRun(() -> queue.add(key));
            return;
        }
        Pod pod = pods.lister().getByKey(key);
        if (pod == null || !needsScheduling(pod)) {
            unschedulable.remove(key);
            return;
        }
        synchronized (fitLock) {
            Node node = nodes.lister().get(null, nodeName);
            if (node == null) {
                fail(key, pod, FitMessages.NO_NODES);
                return;
            }
            NodeFit.Result fit = NodeFit.evaluateWith(pod, node, nodePods.requests());
            if (!fit.fits()) {
                fail(key, pod, FitMessages.message(pod, fit));
                return;
            }
            try {
                nodePods.assume(client.bind(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), nodeName));
            } catch (ApiException.Conflict | ApiException.NotFound raced) {
                unschedulable.remove(key);
                return;
            }
        }
        unschedulable.remove(key);
        events.record(Owners.reference(pod), EventTypes.NORMAL, Reasons.SCHEDULED,
                "Successfully assigned " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
                        + " to " + nodeName);
    }

    private void fail(String key, Pod cached, String message) {
        unschedulable.add(key);
        events.record(Owners.reference(cached), EventTypes.WARNING, Reasons.FAILED_SCHEDULING, message);
        try {
            markUnschedulable(Yaml.copy(cached), message);
        } catch (ApiException.Conflict stale) {
            // the cache is behind the API: write on the latest state
            Pod latest = client.get(Pod.class, cached.getMetadata().getNamespace(), cached.getMetadata().getName());
            if (latest != null && needsScheduling(latest)) {
                markUnschedulable(latest, message);
            }
        }
    }

    /** Sets {@code PodScheduled=False} ({@code Unschedulable}, {@code message}) on {@code pod}, a copy the caller owns. */
    private void markUnschedulable(Pod pod, String message) {
        PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        List<PodCondition> conditions = new ArrayList<>(status.getConditions());
        PodCondition old = conditions.stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
        if (old != null && "False".equals(old.getStatus()) && "Unschedulable".equals(old.getReason())
                && Objects.equals(message, old.getMessage())) {
            return;
        }
        PodCondition cond = new PodConditionBuilder().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage(message)
                .withLastTransitionTime(old != null && "False".equals(old.getStatus()) ? old.getLastTransitionTime()
                        : Times.format(clock.now()))
                .build();
        if (old == null) {
            conditions.add(cond);
        } else {
            conditions.set(conditions.indexOf(old), cond);
        }
        status.setConditions(conditions);
        pod.setStatus(status);
        client.updateStatus(pod);
    }
}
