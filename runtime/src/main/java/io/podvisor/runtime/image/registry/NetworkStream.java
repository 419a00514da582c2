package io.podvisor.runtime.image.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body whose read errors say they came from the network ({@link ReadFailure}), so a
 * failed download is told apart from a failure to store what arrived.
 */
final class NetworkStream extends FilterInputStream {

    /** Reading the underlying stream (the network) failed, as opposed to writing what was read. */
    static final class ReadFailure extends IOException {
        ReadFailure(IOException cause) {
            super(cause.getMessage() != null ? cause.getMessage() : cause.toString(), cause);
        }
    }

    NetworkStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw new ReadFailure(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return super.read(buffer, offset, length);
        } catch (IOException e) {
            throw new ReadFailure(e);
        }
    }
}
