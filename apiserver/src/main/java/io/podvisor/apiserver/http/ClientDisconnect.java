package io.podvisor.apiserver.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices that the client of a long streamed answer went away while nothing is being written.
 * Jetty does not read an HTTP/1.1 connection while its request is being handled, so a client that
 * closed it is otherwise seen only at the next write, which a quiet stream may not make for a long
 * time. Go's server keeps a background read on the connection for this; {@link #notify} does the
 * same with read interest on the connection's endpoint: when the client closes its side (FIN or
 * TLS close_notify) or the connection fails, the given action runs, once. Bytes the client sends
 * meanwhile are read and dropped.
 *
 * <p>The read interest cannot be withdrawn, so an answer that uses {@link #notify} must close the
 * connection when it ends ({@code Connection: close}): the HTTP connection never reads it again.
 */
final class ClientDisconnect implements Callback {

    private final EndPoint endPoint;
    private final Runnable gone;
    private final AtomicBoolean fired = new AtomicBoolean();

    private ClientDisconnect(EndPoint endPoint, Runnable gone) {
        this.endPoint = endPoint;
        this.gone = gone;
    }

    /** Runs {@code gone} (on a Jetty thread, once) when the client of {@code request} goes away. */
    static void notify(Request request, Runnable gone) {
        new ClientDisconnect(endPoint(request), gone).await();
    }

    /**
     * Whether the client of {@code request} has closed its side of the connection, found without
     * blocking; what it sent meanwhile is read and dropped.
     */
    static boolean closedByClient(Request request) {
        return closedByClient(endPoint(request));
    }

    private static EndPoint endPoint(Request request) {
        return request.getConnectionMetaData().getConnection().getEndPoint();
    }

    private static boolean closedByClient(EndPoint ep) {
        if (!ep.isOpen() || ep.isInputShutdown()) {
            return true;
        }
        ByteBuffer probe = BufferUtil.allocate(512);
        try {
            int n;
            do {
                BufferUtil.clear(probe);
                n = ep.fill(probe);
            } while (n > 0);
            return n < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private void await() {
        if (!endPoint.tryFillInterested(this) && !endPoint.isOpen()) {
            fire();
        }
    }

    @Override
    public void succeeded() {
        if (closedByClient(endPoint)) {
            fire();
        } else {
            await();
        }
    }

    @Override
    public void failed(Throwable x) {
        fire();
    }

    private void fire() {
        if (fired.compareAndSet(false, true)) {
            gone.run();
        }
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }
}
