package io.podvisor.runtime.net;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Java's socket exceptions as the texts Go's {@code net} and {@code net/http} packages give for
 * them, which is what the kubelet shows in probe events: {@code dial tcp 10.88.0.5:80: connect:
 * connection refused}, {@code dial tcp 10.88.0.5:80: i/o timeout} and the like.
 */
final class DialErrors {

    private DialErrors() {}

    /** {@code host:port}, with brackets around an IPv6 literal. */
    static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The text for a failed connect to {@code host:port}. */
    static String dial(String host, int port, IOException e) {
        String addr = hostPort(host, port);
        if (e instanceof UnknownHostException) {
            return "dial tcp: lookup " + host + ": no such host";
        }
        if (e instanceof SocketTimeoutException) {
            return "dial tcp " + addr + ": i/o timeout";
        }
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (e instanceof NoRouteToHostException || m.contains("no route to host")) {
            return "dial tcp " + addr + ": connect: no route to host";
        }
        if (m.contains("network is unreachable")) {
            return "dial tcp " + addr + ": connect: network is unreachable";
        }
        if (m.contains("connection timed out")) {
            return "dial tcp " + addr + ": connect: connection timed out";
        }
        if (e instanceof ConnectException || m.contains("connection refused")) {
            return "dial tcp " + addr + ": connect: connection refused";
        }
        return "dial tcp " + addr + ": " + goStyle(e);
    }

    /** The text for a failure after the connection was made (reading the answer). */
    static String read(String local, String remote, IOException e) {
        if (e instanceof EOFException) {
            return e.getMessage() == null ? "EOF" : e.getMessage();
        }
        if (e instanceof SSLException) {
            return "tls: " + goStyle(e);
        }
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("connection reset")) {
            return "read tcp " + local + "->" + remote + ": read: connection reset by peer";
        }
        if (m.contains("broken pipe")) {
            return "write tcp " + local + "->" + remote + ": write: broken pipe";
        }
        return "read tcp " + local + "->" + remote + ": " + goStyle(e);
    }

    /** A Java message in Go's lower-case style. */
    private static String goStyle(IOException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }
}
