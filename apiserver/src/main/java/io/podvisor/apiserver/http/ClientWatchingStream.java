package io.podvisor.apiserver.http;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.jetty.server.Request;

/**
 * The body of a long streamed answer ({@code logs -f}) that notices a client gone away: Jetty does
 * not read an HTTP/1.1 connection while its request is being handled, so a client that closed it
 * is seen only at the next write, which a quiet stream may never make. Each {@link #flush()} (a
 * follower flushes at every tick, with or without new lines) first looks at the connection without
 * blocking; when the client has closed it, the flush fails and the stream's writer ends. As Go's
 * server does with its background read, bytes the client sends meanwhile are read and dropped.
 */
final class ClientWatchingStream extends FilterOutputStream {

    private final Request request;

    ClientWatchingStream(OutputStream out, Request request) {
        super(out);
        this.request = request;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        if (ClientDisconnect.closedByClient(request)) {
            throw new IOException("the client closed the connection");
        }
        out.flush();
    }
}
