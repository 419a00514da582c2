package io.podvisor.runtime.net;

import io.podvisor.runtime.PodNetwork.HttpResult;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocket;

/**
 * The HTTP GET of an HTTP probe: HTTP/1.1 on a connection of its own with {@code Connection: close}
 * and exactly the given headers (a {@code Host} header included), HTTPS without certificate checks,
 * at most {@value #MAX_BODY} bytes of body read (the rest is dropped), one time-out for the whole
 * exchange. Redirects are followed as the kubelet's prober does: 301, 302, 303, 307 and 308 with a
 * {@code Location}, only to the same host name, at most {@value #MAX_REQUESTS} requests in all; a
 * redirect to another host is the answer itself (a 3xx, which the kubelet counts as success).
 * Failures read as Go's client words them ({@link ProbeFailures}).
 *
 * <p>The exchange is blocking socket I/O on the caller's (virtual) thread, the answer parsed by
 * Jetty's {@code HttpParser} ({@link ProbeAnswer}): a node probing a thousand pods every few seconds
 * spends little on each probe this way (a pooled HTTP client set up a destination, a connection pool
 * and selector work per probe, since no probe reuses a connection).
 */
final class ProbeHttp {

    static final int MAX_BODY = 10 * 1024;
    static final int MAX_REQUESTS = 10;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /** A request target: where to connect and what to ask for. */
    record Target(String scheme, String host, int port, String path) {
        String url() {
            return scheme + "://" + DialErrors.hostPort(host, port) + path;
        }

        URI uri() {
            try {
                return URI.create(url());
            } catch (IllegalArgumentException e) {
                try {
                    return new URI(scheme, null, host, port, path, null, null);
                } catch (URISyntaxException again) {
                    throw new IllegalArgumentException(again);
                }
            }
        }

        /** The request line's target: the path and query, as the URI holds them (the path as it is when it needs no escaping). */
        String requestTarget() {
            if (plain(path)) {
                return path;
            }
            URI u = URI.create(uri().toASCIIString()); // non-ASCII characters as UTF-8 escapes, as Go sends them
            String p = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return u.getRawQuery() == null ? p : p + "?" + u.getRawQuery();
        }
    }

    /** An answer, and where to go next when it is a redirect to follow. */
    private record Answer(int status, String location, String body, Target next) {}

    HttpResult get(String scheme, String host, int port, String path, Map<String, String> headers, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Target t = new Target(scheme.toLowerCase(Locale.ROOT), host, port, path.startsWith("/") ? path : "/" + path);
        String givenHost = null;
        for (var h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("Host")) {
                givenHost = h.getValue();
            }
        }
        String hostHeader = givenHost;
        for (int requests = 1; ; requests++) {
            Answer a;
            try {
                a = exchange(t, headers, hostHeader != null ? hostHeader : DialErrors.hostPort(t.host(), t.port()), deadline);
            } catch (ProbeFailures.Failure f) {
                return new HttpResult(0, "", f.standalone() ? f.getMessage() : "Get \"" + t.url() + "\": " + f.getMessage());
            }
            if (a.next() == null) {
                return new HttpResult(a.status(), a.body(), null);
            }
            String location = a.location().strip();
            if (requests >= MAX_REQUESTS) {
                // Go names the Location as given in the error of a refused redirect
                return new HttpResult(0, "", "Get \"" + location + "\": stopped after " + MAX_REQUESTS + " redirects");
            }
            // as Go's client: the given Host is sent again after a relative Location, the URL's host after an absolute one
            hostHeader = URI.create(location).isAbsolute() ? null : givenHost;
            t = a.next();
        }
    }

    /** Where a redirect points, or null when it is not one to follow. */
    static Target redirect(Target from, String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        try {
            URI u = new URI(from.url()).resolve(location.strip());
            String scheme = u.getScheme() == null ? from.scheme() : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
                return null;
            }
            int port = u.getPort() > 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
            String host = u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost();
            String path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
            return new Target(scheme, host, port, path);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** One request on a connection of its own, closed at the end. */
    private Answer exchange(Target t, Map<String, String> headers, String hostHeader, long deadline)
            throws ProbeFailures.Failure {
        byte[] head;
        try {
            head = head(t.requestTarget(), headers, hostHeader);
        } catch (IllegalArgumentException e) {
            throw new ProbeFailures.Failure(String.valueOf(e.getMessage()), false);
        }
        ProbeFailures failures = new ProbeFailures(t.host(), t.port());
        Socket socket = connect(t, deadline, failures);
        try {
            return exchange(socket, t, head, deadline, failures);
        } finally {
            close(socket);
        }
    }

    private Answer exchange(Socket socket, Target t, byte[] head, long deadline, ProbeFailures failures)
            throws ProbeFailures.Failure {
        ProbeAnswer answer = new ProbeAnswer(MAX_BODY);
        byte[] buffer = new byte[8192];
        Socket s = socket;
        try {
            if (t.scheme().equals("https")) {
                s = handshake(socket, t, deadline);
            }
            s.getOutputStream().write(head);
            read(s, buffer, answer, deadline, ProbeAnswer::headersDone);
        } catch (SocketTimeoutException e) {
            throw failures.timeout();
        } catch (IOException e) {
            throw failures.beforeAnswer(e);
        }
        if (answer.malformed()) {
            throw failures.malformed();
        }
        if (!answer.headersDone()) {
            throw failures.beforeAnswer(new EOFException());
        }
        String location = answer.location();
        Target next = REDIRECTS.contains(answer.status()) ? redirect(t, location) : null;
        if (next != null && next.host().equalsIgnoreCase(t.host())) {
            return new Answer(answer.status(), location, "", next); // its body is not read
        }
        try {
            read(s, buffer, answer, deadline, ProbeAnswer::bodyDone);
        } catch (SocketTimeoutException e) {
            throw failures.bodyTimeout();
        } catch (IOException e) {
            throw failures.inBody(e);
        }
        if (answer.cutShort()) {
            throw failures.inBody(new EOFException());
        }
        return new Answer(answer.status(), location, answer.body(), null);
    }

    /** Reads from {@code s} (through {@code buffer}) into the answer until {@code enough} holds, the answer ended or the deadline passed. */
    private static void read(Socket s, byte[] buffer, ProbeAnswer answer, long deadline, Predicate<ProbeAnswer> enough)
            throws IOException {
        InputStream in = s.getInputStream();
        while (!enough.test(answer) && !answer.ended()) {
            int millis = millisLeft(deadline);
            if (millis <= 0) {
                throw new SocketTimeoutException();
            }
            s.setSoTimeout(millis);
            answer.feed(buffer, in.read(buffer));
        }
    }

    /** Connects within the time left; a failure reads as Go's dialer words it. */
    private static Socket connect(Target t, long deadline, ProbeFailures failures) throws ProbeFailures.Failure {
        int millis = millisLeft(deadline);
        if (millis <= 0) {
            throw failures.timeout();
        }
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(InetAddress.getByName(t.host()), t.port()), millis);
            failures.connected(s.getLocalSocketAddress(), s.getRemoteSocketAddress());
            return s;
        } catch (SocketTimeoutException e) {
            close(s);
            throw failures.timeout();
        } catch (IOException e) {
            close(s);
            throw failures.dial(e);
        }
    }

    private static SSLSocket handshake(Socket plain, Target t, long deadline) throws IOException {
        SSLSocket s = (SSLSocket) ProbeTls.sockets().createSocket(plain, t.host(), t.port(), true);
        s.setSoTimeout(Math.max(1, millisLeft(deadline)));
        s.startHandshake();
        return s;
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing was sent on it
        }
    }

    private static int millisLeft(long deadline) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** The request head: the request line, Host, the given headers (but Host and Connection) and {@code Connection: close}. */
    static byte[] head(String target, Map<String, String> headers, String hostHeader) {
        StringBuilder b = new StringBuilder(128).append("GET ").append(target).append(" HTTP/1.1\r\n");
        field(b, "Host", hostHeader);
        for (var e : headers.entrySet()) {
            if (!e.getKey().equalsIgnoreCase("Host") && !e.getKey().equalsIgnoreCase("Connection")) {
                field(b, e.getKey(), e.getValue() == null ? "" : e.getValue());
            }
        }
        field(b, "Connection", "close");
        return b.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder b, String name, String value) {
        boolean nameOk = !name.isEmpty();
        for (int i = 0; i < name.length() && nameOk; i++) {
            char c = name.charAt(i);
            nameOk = c > ' ' && c != ':' && c < 0x7f;
        }
        if (!nameOk) {
            throw new IllegalArgumentException("net/http: invalid header field name \"" + name + "\"");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("net/http: invalid header field value for \"" + name + "\"");
            }
        }
        b.append(name).append(": ").append(value).append("\r\n");
    }

    /** Whether {@code path} is an absolute path and query of printable ASCII that a URI keeps as it is. */
    static boolean plain(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '%' || c == '#' || c == '"' || c == '<' || c == '>' || c == '\\'
                    || c == '^' || c == '`' || c == '{' || c == '|' || c == '}') {
                return false;
            }
        }
        return true;
    }
}
