package io.podvisor.apiserver.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Bounds the time from accepting a connection to its first complete request head, TLS handshake
 * included, as Go's {@code ReadHeaderTimeout} (32 s in kube-apiserver) bounds it, and from each
 * answer to the next request head (its {@code IdleTimeout}, 90 s, then the header bound; not after
 * a switch to the WebSocket protocol): a
 * connection that has not brought a request by then is closed,
 * however slowly it trickles bytes. While a request is being handled the connection is not
 * watched; long watches, logs and exec streams live by their own timeouts.
 */
final class HeaderDeadline implements Connection.Listener {

    /** kube-apiserver's {@code ReadHeaderTimeout}. */
    static final Duration DEFAULT = Duration.ofSeconds(32);
    /** kube-apiserver's {@code IdleTimeout}: how long a kept-alive connection may wait for its next request. */
    static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(90);

    private final Scheduler scheduler;
    private final Duration bound;
    private final Duration next;
    private final Map<EndPoint, Scheduler.Task> pending = new ConcurrentHashMap<>();

    /**
     * @param bound from accept to the first request head
     * @param keepAlive how long a connection may then wait for its next request to start, whose
     *     head has {@code bound} more to arrive
     */
    HeaderDeadline(Scheduler scheduler, Duration bound, Duration keepAlive) {
        this.scheduler = scheduler;
        this.bound = bound;
        this.next = keepAlive.plus(bound);
    }

    @Override
    public void onOpened(Connection connection) {
        EndPoint network = connection.getEndPoint();
        if (network instanceof EndPoint.Wrapper) {
            return; // a protocol over TLS: the network connection under it is already watched
        }
        pending.computeIfAbsent(network, ep -> scheduler.schedule(() -> expire(ep), bound.toMillis(),
                TimeUnit.MILLISECONDS));
    }

    @Override
    public void onClosed(Connection connection) {
        EndPoint network = connection.getEndPoint();
        if (!network.isOpen()) {
            Scheduler.Task task = pending.remove(network);
            if (task != null) {
                task.cancel();
            }
        }
    }

    private void expire(EndPoint network) {
        if (pending.remove(network) != null) {
            network.close();
        }
    }

    /** A request head has arrived on the request's connection: stop watching it. */
    void arrived(Request request) {
        Scheduler.Task task = pending.remove(network(request));
        if (task != null) {
            task.cancel();
        }
    }

    /**
     * The request's answer is complete and its connection waits for the next request head, which
     * must come within the keep-alive and header bounds too (Go bounds every request's head).
     */
    void awaitNext(Request request) {
        EndPoint network = network(request);
        if (network.isOpen()) {
            pending.computeIfAbsent(network, ep -> scheduler.schedule(() -> expire(ep), next.toMillis(),
                    TimeUnit.MILLISECONDS));
        }
    }

    private static EndPoint network(Request request) {
        EndPoint ep = request.getConnectionMetaData().getConnection().getEndPoint();
        while (ep instanceof EndPoint.Wrapper w) {
            ep = w.unwrap();
        }
        return ep;
    }

    /** How many connections are waiting for their first request (for tests). */
    int waiting() {
        return pending.size();
    }
}
