package io.podvisor.runtime.net;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * The failures of one HTTP probe request, as Go's {@code net/http} client words them. Whether the
 * TCP connection was made ({@link #connected}) tells a failed dial ({@code dial tcp
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
    private String local = "";
    private String remote;

    ProbeFailures(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** The TCP connection is made (before any TLS): later failures are no longer the dial's. */
    void connected(SocketAddress localAddress, SocketAddress remoteAddress) {
        local = text(localAddress);
        remote = text(remoteAddress);
    }

    private static String text(SocketAddress a) {
        return a instanceof InetSocketAddress i ? DialErrors.hostPort(i.getAddress().getHostAddress(), i.getPort()) : "";
    }

    /** The total time-out passed before the answer's headers arrived. */
    Failure timeout() {
        return remote != null
                ? new Failure("context deadline exceeded " + AWAITING_HEADERS, false)
                : new Failure("dial tcp " + DialErrors.hostPort(host, port) + ": i/o timeout " + AWAITING_HEADERS, false);
    }

    /** The connect failed. */
    Failure dial(IOException failure) {
        return new Failure(DialErrors.dial(host, port, failure), false);
    }

    /** The answer is not HTTP/1.x. */
    Failure malformed() {
        return new Failure("net/http: HTTP/1.x transport connection broken: malformed HTTP response", false);
    }

    /** The exchange failed on the connection before the answer's headers arrived. */
    Failure beforeAnswer(IOException failure) {
        if (failure instanceof SSLException tls && looksLikeHttp(tls)) {
            return new Failure("http: server gave HTTP response to HTTPS client", false);
        }
        if (failure instanceof EOFException) {
            return new Failure("EOF", false);
        }
        return new Failure(DialErrors.read(local, String.valueOf(remote), failure), false);
    }

    /** The time-out passed while reading the body; Go's client gives these texts without the request's URL. */
    Failure bodyTimeout() {
        return new Failure("context deadline exceeded (Client.Timeout or context cancellation while reading body)", true);
    }

    /** Reading the body failed. */
    Failure inBody(IOException failure) {
        if (failure instanceof EOFException) {
            return new Failure("unexpected EOF", true);
        }
        return new Failure(DialErrors.read(local, String.valueOf(remote), failure), true);
    }

    private static boolean looksLikeHttp(SSLException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("plaintext") || m.contains("unrecognized ssl message") || m.contains("unsupported or unrecognized");
    }
}
