package io.podvisor.api.client;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.core.TerminalSizes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

/**
 * The node's side of {@code kubectl logs}, {@code exec} and {@code attach}: implemented by the kubelet,
 * called by the API server. Failures a user should see are
 * {@link io.podvisor.api.errors.ApiException}s with upstream's messages, e.g. BadRequest
 * {@code previous terminated container "web" in pod "web" not found} or
 * {@code container "x" in pod "web" is waiting to start: ContainerCreating}.
 */
public interface ContainerStreams {

    /**
     * The options of a log request (the query parameters of {@code pods/{name}/log}).
     *
     * @param tailLines null = all lines
     * @param sinceSeconds null = no limit
     * @param sinceTime null = no limit
     * @param limitBytes null = no limit
     */
    record LogOptions(boolean previous, boolean follow, boolean timestamps, Long tailLines, Long sinceSeconds,
            Instant sinceTime, Long limitBytes) {
        public static final LogOptions DEFAULT = new LogOptions(false, false, false, null, null, null, null);
    }

    /**
     * Writes the log of {@code container} (its current instance, or the previous one) to
     * {@code out}. With {@code follow}, keeps writing until the instance ends or writing fails,
     * and flushes {@code out} at every poll even when there is nothing new, so a front whose
     * flush fails once the client has gone releases a quiet follower.
     */
    void logs(Pod pod, String container, LogOptions options, OutputStream out) throws IOException;

    /**
     * Runs {@code command} in the running {@code container} and returns its exit code once it ends.
     *
     * @param stdin null when the client sends no input
     */
    int exec(Pod pod, String container, List<String> command, InputStream stdin, OutputStream stdout,
            OutputStream stderr, boolean tty) throws IOException;

    /**
     * {@link #exec} with the client's terminal sizes, applied to the command's terminal as they come
     * (with {@code tty}). The default ignores them.
     */
    default int exec(Pod pod, String container, List<String> command, InputStream stdin, OutputStream stdout,
            OutputStream stderr, boolean tty, TerminalSizes sizes) throws IOException {
        return exec(pod, container, command, stdin, stdout, stderr, tty);
    }

    /**
     * Attaches to the running {@code container}'s streams ({@code kubectl attach}, {@code run -i}):
     * its output from now on to {@code stdout}/{@code stderr} (one stream when it has a terminal),
     * {@code stdin} (null: none) to its stdin if it keeps one open; returns once the container's
     * output ended or the client went away. Whether there is a terminal is the container's
     * ({@code tty} in its spec), as upstream's kubelet decides, not the request's.
     */
    default void attach(Pod pod, String container, InputStream stdin, OutputStream stdout, OutputStream stderr,
            TerminalSizes sizes) throws IOException {
        throw new io.podvisor.api.errors.ApiException.BadRequest("attach is not supported by this node");
    }
}
