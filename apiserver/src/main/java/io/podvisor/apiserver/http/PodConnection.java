package io.podvisor.apiserver.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarded connection to a pod's port, whatever protocol carries it to the client: the port is
 * dialled ({@link PodDialer}), the client's bytes are queued until the connection takes them (the
 * client's end becomes a half-close), the pod's bytes go to the {@link Client} until the pod's side
 * ends, which ends the connection as the kubelet's forwarders do. A failed dial is reported in the
 * kubelet's words: {@code error forwarding port P to pod ID, uid : dial tcp IP:P: connect: connection
 * refused}.
 *
 * <p>Thread-safety: {@link #fromClient} and {@link #abort} may be called from any thread; the
 * connection runs on a virtual thread per direction.
 */
final class PodConnection {

    /** Where the pod's side goes. */
    interface Client {
        /** Bytes from the pod; {@code bytes} is reused after the call. */
        void data(byte[] bytes, int len);

        /** The pod's side ended (not called after {@link PodConnection#abort}). */
        void end();

        /** The connection failed: upstream's message for the error stream. */
        void error(String message);

        /** Nothing more will come for this connection. */
        void done();
    }

    private static final Logger LOG = LoggerFactory.getLogger(PodConnection.class);
    private static final int CHUNK = 32 * 1024;
    private static final byte[] EOF = new byte[0];
    /** Client messages queued for the pod at most; a client faster than the pod waits for room. */
    static final int QUEUED_MESSAGES = 64;

    private final PodDialer dialer;
    private final String podId;
    private final int port;
    private final Client client;
    private final BlockingQueue<byte[]> toPod = new LinkedBlockingQueue<>(QUEUED_MESSAGES);
    private volatile PodDialer.Connection socket;
    private volatile boolean aborted;
    /** Nothing more is written to the pod: a sender waiting for room gives up. */
    private volatile boolean writingEnded;

    PodConnection(PodDialer dialer, String podId, int port, Client client) {
        this.dialer = dialer;
        this.podId = podId;
        this.port = port;
        this.client = client;
    }

    /** Dials and copies on a virtual thread of its own. */
    void start() {
        Thread.ofVirtual().name("port-forward-" + podId + "-" + port).start(this::run);
    }

    /**
     * Bytes the client sent; {@code last} when the client will send no more. Waits while
     * {@value #QUEUED_MESSAGES} messages are queued for a pod that does not read them (so the
     * carrier stops reading from the client), and drops them once nothing more goes to the pod.
     */
    void fromClient(byte[] bytes, boolean last) {
        if (bytes.length > 0) {
            queue(bytes);
        }
        if (last) {
            queue(EOF);
        }
    }

    private void queue(byte[] bytes) {
        try {
            while (!writingEnded && !toPod.offer(bytes, 100, TimeUnit.MILLISECONDS)) {
                // the pod's side is slower than the client: wait for room
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the writer: an EOF queued if there is room; if not, the writer is busy and ends on the closed socket. */
    private void endWriting() {
        toPod.offer(EOF);
    }

    /** The client reset the connection or went away: the socket is closed, nothing more is sent. */
    void abort() {
        aborted = true;
        writingEnded = true;
        endWriting();
        PodDialer.Connection s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is all that is left
            }
        }
    }

    private void run() {
        try {
            PodDialer.Connection s;
            try {
                s = dialer.dial(port);
            } catch (IOException e) {
                String msg = "error forwarding port " + port + " to pod " + podId + ", uid : " + dialFailure(e);
                LOG.info("{}", msg);
                client.error(msg);
                return;
            }
            socket = s;
            if (aborted) {
                s.close();
                return;
            }
            Thread writer = Thread.ofVirtual().name("port-forward-in-" + port).start(() -> toPod(s));
            try (InputStream in = s.input()) {
                byte[] buf = new byte[CHUNK];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    client.data(buf, n);
                }
            } catch (IOException e) {
                LOG.debug("port-forward read from pod ended", e);
            }
            String remote = s.error();
            if (!remote.isEmpty()) {
                client.error(remote);
            } else if (!aborted) {
                client.end();
            }
            // the pod's side ended: so does the connection, as the kubelet's forwarders do
            writingEnded = true;
            s.close();
            endWriting();
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("port-forward connection ended", e);
        } finally {
            writingEnded = true;
            toPod.clear();
            client.done();
        }
    }

    private void toPod(PodDialer.Connection s) {
        try {
            OutputStream o = s.output();
            for (byte[] b; (b = toPod.take()) != EOF; ) {
                o.write(b);
            }
            if (!aborted) {
                s.shutdownOutput();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.debug("port-forward write to pod ended", e);
        } finally {
            writingEnded = true;
            toPod.clear();
        }
    }

    /** Go's dial error text for a failed connect. */
    private String dialFailure(IOException e) {
        String target = "dial tcp " + dialer.host() + ":" + port;
        if (e instanceof ConnectException) {
            return target + ": connect: connection refused";
        }
        if (e instanceof SocketTimeoutException) {
            return target + ": i/o timeout";
        }
        return target + ": " + e.getMessage();
    }
}
