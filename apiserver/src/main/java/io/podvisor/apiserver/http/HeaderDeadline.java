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
 * included, as Go's {@code ReadHeaderTimeout} (32 s in kube-apiserver) bounds it: a connection
 * that has not brought a request by then is closed, however slowly it trickles bytes. Once a
 * request has arrived the connection is no longer watched; long watches, logs and exec streams
 * live by their own timeouts.
 */
final class HeaderDeadline implements Connection.Listener {

    /** kube-apiserver's {@code ReadHeaderTimeout}. */
    static final Duration DEFAULT = Duration.ofSeconds(32);

    private final Scheduler scheduler;
    private final Duration bound;
    private final Map<EndPoint, Scheduler.Task> pending = new ConcurrentHashMap<>();

    HeaderDeadline(Scheduler scheduler, Duration bound) {
        this.scheduler = scheduler;
        this.bound = bound;
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
        EndPoint ep = request.getConnectionMetaData().getConnection().getEndPoint();
        while (ep instanceof EndPoint.Wrapper w) {
            ep = w.unwrap();
        }
        Scheduler.Task task = pending.remove(ep);
        if (task != null) {
            task.cancel();
        }
    }

    /** How many connections are waiting for their first request (for tests). */
    int waiting() {
        return pending.size();
    }
}
