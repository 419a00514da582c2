package io.podvisor.apiserver.http;

import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The exec's stdin: frames from the WebSocket are {@link #offer offered}, the command reads them;
 * {@link #close} marks end of input. Unlike {@link java.io.PipedInputStream} it does not care
 * which (short-lived, virtual) thread wrote.
 */
final class StdinPipe extends InputStream {

    private static final byte[] EOF = new byte[0];

    private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte[] current;
    private int pos;
    private volatile boolean closed;

    void offer(byte[] data, int off, int len) {
        if (!closed && len > 0) {
            byte[] copy = new byte[len];
            System.arraycopy(data, off, copy, 0, len);
            chunks.add(copy);
        }
    }

    /** End of input: readers get -1 once the queued bytes are consumed. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            chunks.add(EOF);
        }
    }

    @Override
    public int read() throws java.io.InterruptedIOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws java.io.InterruptedIOException {
        if (len == 0) {
            return 0;
        }
        if (current == null || pos == current.length) {
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
            pos = 0;
            if (current == EOF) {
                chunks.add(EOF);
                return -1;
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return current == null || current == EOF ? 0 : current.length - pos;
    }
}
