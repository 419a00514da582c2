package io.podvisor.runtime.net;

import io.podvisor.runtime.PodNetwork.HttpResult;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;

/**
 * The HTTP GET of an HTTP probe, written directly on a socket so the request carries exactly the
 * given headers (a {@code Host} header included) and failures map to the texts Go's client gives.
 * HTTP/1.1 with {@code Connection: close}; HTTPS without certificate checks; at most
 * {@value #MAX_BODY} bytes of body are read. Redirects are followed as the kubelet's prober does:
 * only to the same host name, at most {@value #MAX_REQUESTS} requests in all; a redirect to another
 * host is the answer itself (a 3xx, which the kubelet counts as success).
 */
final class ProbeHttp {

    static final int MAX_BODY = 10 * 1024;
    static final int MAX_REQUESTS = 10;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final SSLSocketFactory tls;

    ProbeHttp(SSLSocketFactory tls) {
        this.tls = tls;
    }

    /** A request target: where to connect and what to ask for. */
    private record Target(String scheme, String host, int port, String path) {
        String url() {
            return scheme + "://" + DialErrors.hostPort(host, port) + path;
        }
    }

    /** A failure with the text that follows {@code Get "<url>": }, or a text that stands alone. */
    private static final class Failure extends Exception {
        final boolean standalone;

        Failure(String text, boolean standalone) {
            super(text, null, false, false);
            this.standalone = standalone;
        }
    }

    private record Answer(int status, String location, String body) {}

    HttpResult get(String scheme, String host, int port, String path, Map<String, String> headers, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Target t = new Target(scheme.toLowerCase(Locale.ROOT), host, port, path.startsWith("/") ? path : "/" + path);
        String hostHeader = null;
        for (var h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("Host")) {
                hostHeader = h.getValue();
            }
        }
        for (int requests = 1; ; requests++) {
            Answer a;
            try {
                a = exchange(t, headers, hostHeader != null ? hostHeader : DialErrors.hostPort(host, port), deadline);
            } catch (Failure f) {
                return new HttpResult(0, "", f.standalone ? f.getMessage() : "Get \"" + t.url() + "\": " + f.getMessage());
            }
            Target next = a.status() >= 300 && a.status() < 400 ? redirect(t, a.location()) : null;
            if (next == null || !next.host().equalsIgnoreCase(t.host())) {
                return new HttpResult(a.status(), a.body(), null);
            }
            if (requests >= MAX_REQUESTS) {
                return new HttpResult(0, "", "Get \"" + next.url() + "\": stopped after " + MAX_REQUESTS + " redirects");
            }
            t = next;
            hostHeader = null; // as Go's client: a followed redirect asks for its URL's host
        }
    }

    private static Target redirect(Target from, String location) {
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

    private Answer exchange(Target t, Map<String, String> headers, String hostHeader, long deadline) throws Failure {
        Socket s = connect(t, deadline);
        String remote = DialErrors.hostPort(s.getInetAddress().getHostAddress(), t.port());
        String local = DialErrors.hostPort(s.getLocalAddress().getHostAddress(), s.getLocalPort());
        boolean headersDone = false;
        try (Socket socket = s) {
            Socket conn = socket;
            if (t.scheme().equals("https")) {
                var ssl = (javax.net.ssl.SSLSocket) tls.createSocket(socket, t.host(), t.port(), true);
                ssl.setSoTimeout(remainingMillis(deadline));
                ssl.startHandshake();
                conn = ssl;
            }
            writeRequest(conn.getOutputStream(), t, headers, hostHeader);
            InputStream in = new DeadlineInput(conn, deadline);
            int status = readStatus(in);
            Map<String, String> h = HttpWire.readHeaders(in, MAX_HEADER_BYTES);
            headersDone = true;
            String body = HttpWire.readBody(in, h, MAX_BODY);
            return new Answer(status, h.get("location"), body);
        } catch (SocketTimeoutException e) {
            throw headersDone
                    ? new Failure("context deadline exceeded (Client.Timeout or context cancellation while reading body)", true)
                    : new Failure("context deadline exceeded (Client.Timeout exceeded while awaiting headers)", false);
        } catch (HttpWire.Malformed e) {
            throw new Failure("net/http: HTTP/1.x transport connection broken: " + e.getMessage(), false);
        } catch (IOException e) {
            if (!headersDone && e instanceof javax.net.ssl.SSLException && looksLikeHttp(e)) {
                throw new Failure("http: server gave HTTP response to HTTPS client", false);
            }
            throw new Failure(DialErrors.read(local, remote, e), headersDone);
        }
    }

    private static boolean looksLikeHttp(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("plaintext") || m.contains("unrecognized ssl message") || m.contains("unsupported or unrecognized");
    }

    private static Socket connect(Target t, long deadline) throws Failure {
        Socket s = new Socket();
        try {
            int ms = remainingMillis(deadline);
            s.connect(new InetSocketAddress(t.host(), t.port()), ms);
            s.setTcpNoDelay(true);
            return s;
        } catch (IOException e) {
            closeQuietly(s);
            String text = DialErrors.dial(t.host(), t.port(), e);
            throw new Failure(e instanceof SocketTimeoutException
                    ? text + " (Client.Timeout exceeded while awaiting headers)" : text, false);
        }
    }

    private static void writeRequest(OutputStream out, Target t, Map<String, String> headers, String hostHeader)
            throws IOException {
        StringBuilder req = new StringBuilder("GET ").append(t.path()).append(" HTTP/1.1\r\n");
        req.append("Host: ").append(hostHeader).append("\r\n");
        for (var h : headers.entrySet()) {
            if (!h.getKey().equalsIgnoreCase("Host") && !h.getKey().equalsIgnoreCase("Connection")) {
                req.append(h.getKey()).append(": ").append(h.getValue() == null ? "" : h.getValue()).append("\r\n");
            }
        }
        req.append("Connection: close\r\n\r\n");
        out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The status of the final answer, skipping interim 1xx ones. */
    private static int readStatus(InputStream in) throws IOException {
        while (true) {
            String line = HttpWire.readLine(in, MAX_HEADER_BYTES);
            if (line == null) {
                throw new EOFException();
            }
            String[] parts = line.split(" ", 3);
            int status;
            try {
                status = parts.length >= 2 && parts[0].startsWith("HTTP/") ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException e) {
                status = -1;
            }
            if (status < 100 || status > 999) {
                throw new HttpWire.Malformed("malformed HTTP response \"" + line + "\"");
            }
            if (status >= 200 || status == 101) {
                return status;
            }
            HttpWire.readHeaders(in, MAX_HEADER_BYTES);
        }
    }

    static int remainingMillis(long deadline) throws SocketTimeoutException {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** Reads from a socket, each read bounded by what is left until the deadline. */
    private static final class DeadlineInput extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        DeadlineInput(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = new java.io.BufferedInputStream(socket.getInputStream());
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return in.read(b, off, len);
        }
    }
}
