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
 * on the next tick. As upstream's lease controller, a renewal updates the Lease the last write
 * returned, without reading it first, and reads it again only when that update fails; the Node is
 * read only while the Lease has no owner reference yet.
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
    /** The Lease as the last successful write returned it (ours to edit), or null. */
    private Lease latestLease;
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
        if (latestLease != null) {
            try {
                latestLease = objects.update(renewed(latestLease, now));
                return;
            } catch (ApiException e) {
                latestLease = null; // changed or removed by someone else: read it again
                LOG.log(System.Logger.Level.DEBUG, "Lease " + facts.nodeName() + ": " + e.getMessage());
            }
        }
        Lease existing = objects.get(Lease.class, NodeObjects.LEASE_NAMESPACE, facts.nodeName());
        if (existing == null) {
            latestLease = objects.create(NodeObjects.lease(facts.nodeName(), nodeUid(), now));
            return;
        }
        latestLease = objects.update(renewed(existing, now));
    }

    /** {@code lease} with the spec of a renewal at {@code now}, and the Node as owner if it has none. */
    private Lease renewed(Lease lease, Instant now) {
        boolean owned = lease.getMetadata().getOwnerReferences() != null && !lease.getMetadata().getOwnerReferences().isEmpty();
        Lease desired = NodeObjects.lease(facts.nodeName(), owned ? null : nodeUid(), now);
        lease.setSpec(desired.getSpec());
        if (!owned) {
            lease.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
        }
        return lease;
    }

    private String nodeUid() {
        Node node = objects.get(Node.class, null, facts.nodeName());
        return node == null ? null : node.getMetadata().getUid();
    }
}
