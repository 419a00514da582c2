package io.podvisor.runtime;

import io.podvisor.core.TerminalSizes;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The streams of an interactive exec ({@code kubectl exec -i}) or attach.
 *
 * @param stdin  null: no input (the command sees end-of-file at once)
 * @param stdout receives the command's standard output as it is written
 * @param stderr receives its standard error; with {@code tty} everything goes to {@code stdout}
 * @param tty    a terminal was asked for; runtimes that cannot give one run without it
 * @param sizes  the client's terminal sizes, applied to the terminal as they come (never null)
 */
public record ExecStreams(InputStream stdin, OutputStream stdout, OutputStream stderr, boolean tty,
                          TerminalSizes sizes) {

    public ExecStreams {
        sizes = sizes == null ? new TerminalSizes() : sizes;
    }

    /** Streams without terminal sizes. */
    public ExecStreams(InputStream stdin, OutputStream stdout, OutputStream stderr, boolean tty) {
        this(stdin, stdout, stderr, tty, null);
    }
}
