package io.podvisor.core;

import java.util.function.Consumer;

/**
 * The terminal sizes a client reports for an interactive session (channel 4 of the exec and attach
 * protocols): the front {@link #resize}s, the runtime that holds the terminal {@link #onResize listens}.
 * A listener registered late still gets the last size at once. Thread-safe.
 */
public final class TerminalSizes {

    /** A terminal's size in character cells. */
    public record Size(int width, int height) {}

    private Size last;
    private Consumer<Size> listener;

    /** The client's terminal now has {@code size}. */
    public void resize(Size size) {
        Consumer<Size> l;
        synchronized (this) {
            last = size;
            l = listener;
        }
        if (l != null) {
            l.accept(size);
        }
    }

    /** Tells {@code l} of every later size, and of the last one now if there was one. */
    public void onResize(Consumer<Size> l) {
        Size now;
        synchronized (this) {
            listener = l;
            now = last;
        }
        if (now != null) {
            l.accept(now);
        }
    }

    /** The last size reported, or null. */
    public synchronized Size last() {
        return last;
    }
}
