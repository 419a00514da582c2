package io.podvisor.runtime.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Output a test reads while another thread (an exec's or attach's copier) writes it. */
public final class GrowingOutput extends OutputStream {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
        bytes.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        bytes.write(b, off, len);
    }

    /** What was written so far, as UTF-8. */
    public synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
