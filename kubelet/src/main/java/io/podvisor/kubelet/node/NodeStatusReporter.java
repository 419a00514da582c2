package io.podvisor.kubelet.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.core.Clock;
import io.podvisor.core.Periodic;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers the node and keeps it alive: creates the Node (or takes over an existing one) at
 * start, reports its status every {@link #STATUS_REPORT_PERIOD}, and renews its Lease every
 * {@link #LEASE_RENEW_PERIOD} (a quarter of the lease duration, as upstream). Failures are retried
 * on the next tick.
 *
 * <p>Thread-safety: its timers run on the clock; {@link #registerOnce()} and
 * {@link #renewLeaseOnce()} are serialized.
 */
public final class NodeStatusReporter {

    public static final Duration LEASE_RENEW_PERIOD = Duration.ofSeconds(10);
    public static final Duration STATUS_REPORT_PERIOD = Duration.ofMinutes(5);

    private static final System.Logger LOG = System.getLogger(NodeStatusReporter.class.getName());

    private final NodeObjects.Facts facts;
    private final Clock clock;
    private final ObjectClient objects;
    private Instant since;
    private boolean registered;
    private Instant nextStatus;
    private final Periodic renewals;

    public NodeStatusReporter(NodeObjects.Facts facts, Clock clock, ObjectClient objects) {
        this.facts = facts;
        this.clock = clock;
        this.objects = objects;
        this.renewals = new Periodic(clock, LEASE_RENEW_PERIOD, this::tick);
    }

    /** Registers the node and renews the lease now, then keeps doing it on the clock. */
    public void start() {
        try {
            tick();
        } finally {
            renewals.start();
        }
    }

    public void stop() {
        renewals.stop();
    }

    private synchronized void tick() {
        try {
            Instant now = clock.now();
            if (!registered || !now.isBefore(nextStatus)) {
                registerOnce();
            }
            if (registered) {
                renewLeaseOnce();
            }
        } catch (ApiException e) {
            LOG.log(System.Logger.Level.WARNING, "Node " + facts.nodeName() + ": " + e.getMessage());
        }
    }

    /** Creates the Node or updates the existing one's labels and status. */
    public synchronized void registerOnce() {
        Instant now = clock.now();
        if (since == null) {
            since = now;
        }
        Node desired = NodeObjects.node(facts, since, now);
        Node existing = objects.get(Node.class, null, facts.nodeName());
        if (existing == null) {
            try {
                existing = objects.create(desired);
            } catch (ApiException.AlreadyExists e) {
                existing = objects.get(Node.class, null, facts.nodeName());
            }
        }
        if (existing == null) {
            return;
        }
        Map<String, String> labels = new LinkedHashMap<>(existing.getMetadata().getLabels() == null ? Map.of()
                : existing.getMetadata().getLabels());
        if (!labels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet())) {
            labels.putAll(desired.getMetadata().getLabels());
            existing.getMetadata().setLabels(labels);
            existing.getMetadata().setResourceVersion(null);
            existing = objects.update(existing);
        }
        existing.setStatus(desired.getStatus());
        existing.getMetadata().setResourceVersion(null);
        objects.updateStatus(existing);
        registered = true;
        nextStatus = now.plus(STATUS_REPORT_PERIOD);
    }

    /** Creates the node's Lease or moves its renew time to now. */
    public synchronized void renewLeaseOnce() {
        Instant now = clock.now();
        Node node = objects.get(Node.class, null, facts.nodeName());
        Lease desired = NodeObjects.lease(facts.nodeName(), node == null ? null : node.getMetadata().getUid(), now);
        Lease existing = objects.get(Lease.class, NodeObjects.LEASE_NAMESPACE, facts.nodeName());
        if (existing == null) {
            objects.create(desired);
            return;
        }
        existing.setSpec(desired.getSpec());
        if (existing.getMetadata().getOwnerReferences() == null || existing.getMetadata().getOwnerReferences().isEmpty()) {
            existing.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
        }
        objects.update(existing);
    }
}
