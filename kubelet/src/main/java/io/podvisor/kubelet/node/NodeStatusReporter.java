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
 * returned, without reading it first, and reads it again only when that update fails; the Lease's
 * owner is the Node as registration or the last status report saw it. As upstream's
 * {@code tryUpdateNodeStatus}, a status report reads the Node and writes its status over what it
 * read (a resourceVersion precondition in place of upstream's patch), trying
 * {@link #STATUS_UPDATE_RETRIES} times.
 *
 * <p>Thread-safety: its timers run on the clock; {@link #registerOnce()}, {@link #updateStatusOnce()}
 * and {@link #renewLeaseOnce()} are serialized; {@link #nodeUid()} may be called from any thread.
 */
public final class NodeStatusReporter {

    public static final Duration LEASE_RENEW_PERIOD = Duration.ofSeconds(10);
    public static final Duration STATUS_REPORT_PERIOD = Duration.ofMinutes(5);
    /** How many times a status report is tried before the next tick (upstream's {@code nodeStatusUpdateRetry}). */
    public static final int STATUS_UPDATE_RETRIES = 5;

    private static final System.Logger LOG = System.getLogger(NodeStatusReporter.class.getName());

    private final NodeObjects.Facts facts;
    private final Clock clock;
    private final ObjectClient objects;
    private Instant since;
    private boolean registered;
    private Instant nextStatus;
    /** The UID of the Node as last written or read, or null before registration. */
    private volatile String nodeUid;
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

    /** The UID of this node's Node object as last written or read (null until it is registered). */
    public String nodeUid() {
        return nodeUid;
    }

    private synchronized void tick() {
        try {
            if (!registered) {
                registerOnce();
            } else if (!clock.now().isBefore(nextStatus)) {
                updateStatusOnce();
            }
        } catch (ApiException e) {
            LOG.log(System.Logger.Level.WARNING, "Node " + facts.nodeName() + ": " + e.getMessage());
        }
        try {
            if (registered) {
                renewLeaseOnce(); // apart from the status: a failed report does not hold the heartbeat back
            }
        } catch (ApiException e) {
            LOG.log(System.Logger.Level.WARNING, "Lease " + facts.nodeName() + ": " + e.getMessage());
        }
    }

    /**
     * Creates the Node with its status, or when it exists already (a restart) completes its labels
     * and reports the status over it, as upstream's {@code tryRegisterWithAPIServer}.
     */
    public synchronized void registerOnce() {
        Instant now = clock.now();
        if (since == null) {
            since = now;
        }
        Node desired = NodeObjects.node(facts, since, now);
        try {
            registered(objects.create(desired), now);
            return;
        } catch (ApiException.AlreadyExists e) {
            // ours from an earlier run, or another's: taken over
        }
        Node existing = objects.get(Node.class, null, facts.nodeName());
        if (existing == null) {
            return; // deleted meanwhile: created at the next tick
        }
        Map<String, String> labels = new LinkedHashMap<>(existing.getMetadata().getLabels() == null ? Map.of()
                : existing.getMetadata().getLabels());
        if (!labels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet())) {
            labels.putAll(desired.getMetadata().getLabels());
            existing.getMetadata().setLabels(labels);
            existing = objects.update(existing);
        }
        existing.setStatus(desired.getStatus());
        registered(objects.updateStatus(existing), now);
    }

    /**
     * Reads the Node and writes the status over it, again (read included) when the write fails,
     * {@link #STATUS_UPDATE_RETRIES} times in all; a Node that is gone is registered again.
     *
     * @throws ApiException the last failure when every try failed
     */
    public synchronized void updateStatusOnce() {
        Instant now = clock.now();
        ApiException last = null;
        for (int attempt = 0; attempt < STATUS_UPDATE_RETRIES; attempt++) {
            try {
                Node node = objects.get(Node.class, null, facts.nodeName());
                if (node == null) {
                    registered = false;
                    registerOnce();
                    return;
                }
                node.setStatus(NodeObjects.status(facts, since, now));
                registered(objects.updateStatus(node), now);
                return;
            } catch (ApiException e) {
                last = e;
                LOG.log(System.Logger.Level.DEBUG, "Node " + facts.nodeName() + " status, try " + (attempt + 1)
                        + ": " + e.getMessage());
            }
        }
        throw last;
    }

    private void registered(Node node, Instant now) {
        nodeUid = node.getMetadata().getUid();
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
            latestLease = objects.create(NodeObjects.lease(facts.nodeName(), nodeUid, now));
            return;
        }
        latestLease = objects.update(renewed(existing, now));
    }

    /** {@code lease} with the spec of a renewal at {@code now}, and the Node as owner if it has none. */
    private Lease renewed(Lease lease, Instant now) {
        boolean owned = lease.getMetadata().getOwnerReferences() != null && !lease.getMetadata().getOwnerReferences().isEmpty();
        Lease desired = NodeObjects.lease(facts.nodeName(), owned ? null : nodeUid, now);
        lease.setSpec(desired.getSpec());
        if (!owned) {
            lease.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
        }
        return lease;
    }
}
