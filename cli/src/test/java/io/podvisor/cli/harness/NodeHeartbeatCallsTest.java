package io.podvisor.cli.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.kubelet.node.MachineInfo;
import io.podvisor.kubelet.node.NodeObjects;
import io.podvisor.kubelet.node.NodeStatusReporter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the node's heartbeats cost the API, as upstream's kubelet: a Lease renewal is one write of
 * the Lease it last wrote (no read), a status report one read of the Node and one write of its
 * status, tried again (read included) up to five times when the write fails.
 */
class NodeHeartbeatCallsTest {

    private final ClusterHarness h = new ClusterHarness();
    /** A second node's reporter, over an API that can fail. */
    private NodeStatusReporter reporter;

    @AfterEach
    void close() {
        if (reporter != null) {
            reporter.stop();
        }
        h.close();
    }

    @Test
    void renewalsAreOneLeaseWriteEachAndNoRead() {
        int leaseCalls = h.nodeApiCalls("Lease").size();
        int nodeCalls = h.nodeApiCalls("Node").size();

        h.advanceSeconds(60);

        List<String> renewals = h.nodeApiCalls("Lease");
        assertThat(renewals.subList(leaseCalls, renewals.size())).hasSize(6).containsOnly("update(Lease)");
        assertThat(h.nodeApiCalls("Node")).as("no status report within its five minutes").hasSize(nodeCalls);
    }

    @Test
    void aStatusReportReadsTheNodeOnceAndWritesItsStatusOnce() {
        int nodeCalls = h.nodeApiCalls("(Node)").size();

        h.advanceSeconds(300);

        List<String> report = h.nodeApiCalls("(Node)");
        assertThat(report.subList(nodeCalls, report.size())).containsExactly("get(Node)", "updateStatus(Node)");
        assertThat(ready(h.api().get(Node.class, null, ClusterHarness.NODE)).getLastHeartbeatTime())
                .isEqualTo("2026-01-01T00:05:00Z");
    }

    /**
     * A reporter of a second node whose status report at 5 min meets {@code conflicts} conflicting
     * writes; the calls recorded are those of that round's tick.
     */
    private Failing reportMeeting(int conflicts) {
        Failing api = new Failing(h.api());
        reporter = reporter(api.proxy);
        reporter.start();
        h.advanceSeconds(290);
        api.conflicts.set(conflicts);
        api.calls.clear();
        h.advanceSeconds(10);
        return api;
    }

    @Test
    void aStatusWriteThatConflictsIsReadAndTriedAgainInTheSameRound() {
        Failing api = reportMeeting(3);

        assertThat(api.calls).as("three conflicts, then the fourth try goes through")
                .containsExactly("get(Node)", "updateStatus(Node)", "get(Node)", "updateStatus(Node)",
                        "get(Node)", "updateStatus(Node)", "get(Node)", "updateStatus(Node)", "update(Lease)");
        assertThat(ready(h.api().get(Node.class, null, "counted")).getLastHeartbeatTime())
                .isEqualTo("2026-01-01T00:05:00Z");
    }

    @Test
    void aReportGivesUpAfterFiveTriesAndTheNextTickTriesAgainWhileTheLeaseIsRenewed() {
        Failing api = reportMeeting(5);

        assertThat(api.calls).filteredOn(c -> c.equals("updateStatus(Node)")).hasSize(5);
        assertThat(api.calls).filteredOn(c -> c.equals("get(Node)")).hasSize(5);
        assertThat(api.calls).last().as("the heartbeat goes on").isEqualTo("update(Lease)");
        assertThat(ready(h.api().get(Node.class, null, "counted")).getLastHeartbeatTime())
                .isEqualTo("2026-01-01T00:00:00Z");

        h.advanceSeconds(10);

        assertThat(ready(h.api().get(Node.class, null, "counted")).getLastHeartbeatTime())
                .isEqualTo("2026-01-01T00:05:10Z");
    }

    @Test
    void theLeaseIsOwnedByTheRegisteredNodeWithoutReadingIt() {
        Failing api = new Failing(h.api());
        reporter = reporter(api.proxy);

        reporter.start();

        assertThat(api.calls).containsExactly("create(Node)", "get(Lease)", "create(Lease)");
        Lease lease = h.api().get(Lease.class, NodeObjects.LEASE_NAMESPACE, "counted");
        assertThat(lease.getMetadata().getOwnerReferences().getFirst().getUid())
                .isEqualTo(h.api().get(Node.class, null, "counted").getMetadata().getUid())
                .isEqualTo(reporter.nodeUid());
    }

    private NodeStatusReporter reporter(ObjectClient api) {
        MachineInfo machine = MachineInfo.read(Path.of("/"), Path.of("/"));
        return new NodeStatusReporter(new NodeObjects.Facts("counted", "10.0.0.9", "fake://0.1.0", machine),
                h.clock(), api);
    }

    private static NodeCondition ready(Node node) {
        return node.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
    }

    /**
     * The API recording calls as {@code method(Kind)}, whose next {@code conflicts} status writes
     * fail with a Conflict (as when another writer changed the Node after it was read).
     */
    private static final class Failing {
        final List<String> calls = new ArrayList<>();
        final AtomicInteger conflicts = new AtomicInteger();
        private final ObjectClient proxy;

        Failing(ObjectClient target) {
            proxy = (ObjectClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ObjectClient.class},
                    (p, method, args) -> {
                        Object first = args == null ? null : args[0];
                        String kind = first instanceof Class<?> c ? c.getSimpleName()
                                : first == null ? "" : first.getClass().getSimpleName();
                        calls.add(method.getName() + "(" + kind + ")");
                        if (method.getName().equals("updateStatus") && conflicts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                            throw new ApiException.Conflict("", "nodes", "counted", "the object has been modified; please apply your changes to the latest version and try again");
                        }
                        try {
                            return method.invoke(target, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

}
