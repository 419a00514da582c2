package io.podvisor.runtime.net;

import java.io.EOFException;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.http.BadMessageException;

/**
 * The failures of one HTTP probe request, as Go's {@code net/http} client words them. Whether the
 * TCP connection was made ({@link ProbeClient.Attempt}) tells a failed dial ({@code dial tcp
 * 10.88.0.5:80: connect: connection refused}) from a failure awaiting the answer ({@code context
 * deadline exceeded (Client.Timeout exceeded while awaiting headers)}, {@code EOF}).
 */
final class ProbeFailures {

    static final String AWAITING_HEADERS = "(Client.Timeout exceeded while awaiting headers)";

    /** A failure with the text that follows {@code Get "<url>": }, or a text that stands alone. */
    static final class Failure extends Exception {
        private final boolean standalone;

        Failure(String text, boolean standalone) {
            super(text, null, false, false);
            this.standalone = standalone;
        }

        boolean standalone() {
            return standalone;
        }
    }

    private final String host;
    private final int port;
    private final ProbeClient.Attempt attempt;

    ProbeFailures(String host, int port, ProbeClient.Attempt attempt) {
        this.host = host;
        this.port = port;
        this.attempt = attempt;
    }

    /** The total time-out passed before the answer's headers arrived. */
    Failure timeout() {
        return attempt.connected()
                ? new Failure("context deadline exceeded " + AWAITING_HEADERS, false)
                : new Failure("dial tcp " + DialErrors.hostPort(host, port) + ": i/o timeout " + AWAITING_HEADERS, false);
    }

    /** The exchange failed before the answer's headers arrived. */
    Failure beforeAnswer(Throwable failure) {
        if (find(failure, TimeoutException.class) != null) {
            return timeout();
        }
        IOException io = find(failure, IOException.class);
        if (!attempt.connected()) {
            return new Failure(DialErrors.dial(host, port, io != null ? io : new IOException(failure.getMessage())), false);
        }
        SSLException tls = find(failure, SSLException.class);
        if (tls != null && looksLikeHttp(tls)) {
            return new Failure("http: server gave HTTP response to HTTPS client", false);
        }
        if (find(failure, BadMessageException.class) != null || failure instanceof HttpResponseException) {
            return new Failure("net/http: HTTP/1.x transport connection broken: malformed HTTP response", false);
        }
        if (find(failure, EOFException.class) != null) {
            return new Failure("EOF", false);
        }
        return new Failure(DialErrors.read(attempt.local(), attempt.remote(),
                io != null ? io : new IOException(failure.getMessage())), false);
    }

    /** Reading the body failed; Go's client gives these texts without the request's URL. */
    Failure inBody(IOException failure) {
        if (find(failure, TimeoutException.class) != null) {
            return new Failure("context deadline exceeded (Client.Timeout or context cancellation while reading body)", true);
        }
        if (find(failure, EOFException.class) != null) {
            return new Failure("unexpected EOF", true);
        }
        IOException io = find(failure.getCause(), IOException.class);
        return new Failure(DialErrors.read(attempt.local(), attempt.remote(), io != null ? io : failure), true);
    }

    private static boolean looksLikeHttp(SSLException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("plaintext") || m.contains("unrecognized ssl message") || m.contains("unsupported or unrecognized");
    }

    /** The first throwable of the given kind in the cause chain, or null. */
    private static <T extends Throwable> T find(Throwable t, Class<T> kind) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (kind.isInstance(c)) {
                return kind.cast(c);
            }
        }
        return null;
    }
}
