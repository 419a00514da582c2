package io.podvisor.apiserver.http;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry;
import io.podvisor.apiserver.tls.KubeletCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.http.HttpField;

/**
 * {@code pods/{name}/proxy[/path]} and {@code services/{name}/proxy[/path]}: the request is passed
 * on to the pod (or a ready endpoint address of the service) with the JDK's HTTP client, and its
 * answer streamed back. The name part is {@code name}, {@code name:port} or {@code scheme:name:port}
 * as upstream's {@code SplitSchemeNamePort}. A pod without a port in the path gets its first
 * declared container port (none: port 80); a service's port is matched against its endpoints'
 * port names (a number is first mapped to the service port's name). The path after {@code /proxy}
 * and the query are kept; hop-by-hop headers and the caller's {@code Authorization} are not
 * forwarded. Errors as kube-apiserver: a pod without a usable IP is 400 {@code address not allowed},
 * a service without a ready address 503 {@code no endpoints available for service "web"}, a
 * failed dial 503 {@code error trying to reach service: dial tcp 10.1.0.5:80: connect: connection
 * refused}. An {@code https:} target is reached over TLS without checking its certificate, as
 * upstream's transport to pods does; the pod is dialled at its IP (a process-runtime pod's
 * {@code 127.0.0.1} included, which upstream would refuse).
 */
final class ProxyEndpoint {

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(PortForwardEndpoint.CONNECT_TIMEOUT_MILLIS);
    /** Per RFC 9110 §7.6.1 (and Go's reverse proxy), plus what the JDK client sets itself or the caller's credentials. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "proxy-connection", "keep-alive",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "host", "content-length", "expect", "authorization");

    private final Registry registry;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(KubeletCertificates.acceptingAnyServer())
            .build();

    ProxyEndpoint(Registry registry) {
        this.registry = registry;
    }

    void serve(Exchange ex, ResourcePath p) throws IOException {
        Target t = p.type() == ResourceTypes.PODS ? pod(p.namespace(), p.name()) : service(p.namespace(), p.name());
        String raw = ex.request.getHttpURI().getPath();
        String rest = pathAfterProxy(raw);
        String prefix = raw.endsWith(rest) && rest.length() > 1 ? raw.substring(0, raw.length() - rest.length())
                : raw.replaceAll("/+$", "");
        forward(ex, t, prefix, rest);
    }

    /** Where a request goes: scheme, IP and port. */
    record Target(String scheme, String ip, int port) {
        String hostPort() {
            return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
        }
    }

    /** {@code scheme:name:port} split as upstream; empty when not valid. */
    record SchemeNamePort(String scheme, String name, String port) {
        static Optional<SchemeNamePort> parse(String id) {
            String[] parts = id.split(":", -1);
            SchemeNamePort s = switch (parts.length) {
                case 1 -> new SchemeNamePort("", parts[0], "");
                case 2 -> new SchemeNamePort("", parts[0], parts[1]);
                case 3 -> new SchemeNamePort(parts[0], parts[1], parts[2]);
                default -> null;
            };
            if (s == null || s.name.isEmpty() || !List.of("", "http", "https").contains(s.scheme)) {
                return Optional.empty();
            }
            return Optional.of(s);
        }

        String schemeOrHttp() {
            return scheme.isEmpty() ? "http" : scheme;
        }
    }

    private Target pod(String namespace, String id) {
        SchemeNamePort s = SchemeNamePort.parse(id)
                .orElseThrow(() -> new ApiException.BadRequest("invalid pod request \"" + id + "\""));
        Pod pod = (Pod) registry.get(ResourceTypes.PODS, namespace, s.name());
        String port = s.port();
        if (port.isEmpty()) {
            port = pod.getSpec().getContainers().stream()
                    .filter(c -> c.getPorts() != null && !c.getPorts().isEmpty())
                    .map(c -> String.valueOf(c.getPorts().getFirst().getContainerPort()))
                    .findFirst().orElse(s.schemeOrHttp().equals("https") ? "443" : "80"); // the scheme's port
        }
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (!allowedAddress(ip)) {
            throw new ApiException.BadRequest("address not allowed");
        }
        return new Target(s.schemeOrHttp(), ip, portNumber(ip, port));
    }

    private Target service(String namespace, String id) {
        SchemeNamePort s = SchemeNamePort.parse(id)
                .orElseThrow(() -> new ApiException.BadRequest("invalid service request \"" + id + "\""));
        String portName = s.port();
        if (!portName.isEmpty() && portName.chars().allMatch(Character::isDigit)) {
            Service svc = (Service) registry.get(ResourceTypes.SERVICES, namespace, s.name());
            long number = Long.parseLong(portName);
            portName = svc.getSpec().getPorts().stream().filter(sp -> sp.getPort() != null && sp.getPort() == number)
                    .map(ServicePort::getName).map(n -> n == null ? "" : n).findFirst()
                    .orElseThrow(() -> unavailable("no service port " + number + " found for service \"" + s.name() + "\""));
        }
        Endpoints eps = (Endpoints) registry.get(ResourceTypes.ENDPOINTS, namespace, s.name());
        List<EndpointSubset> subsets = eps.getSubsets() == null ? List.of() : eps.getSubsets();
        if (subsets.isEmpty()) {
            throw unavailable("no endpoints available for service \"" + s.name() + "\"");
        }
        int seed = ThreadLocalRandom.current().nextInt(subsets.size());
        for (int i = 0; i < subsets.size(); i++) {
            EndpointSubset ss = subsets.get((seed + i) % subsets.size());
            List<EndpointAddress> addresses = ss.getAddresses() == null ? List.of() : ss.getAddresses();
            if (addresses.isEmpty() || ss.getPorts() == null) {
                continue;
            }
            for (EndpointPort ep : ss.getPorts()) {
                String name = ep.getName() == null ? "" : ep.getName();
                if (name.equals(portName)) {
                    EndpointAddress a = addresses.get(ThreadLocalRandom.current().nextInt(addresses.size()));
                    return new Target(s.schemeOrHttp(), a.getIp(), ep.getPort());
                }
            }
        }
        throw unavailable("no endpoints available for service \"" + id + "\"");
    }

    /** A pod address the server dials: an IP literal, not unspecified, multicast or link-local. */
    static boolean allowedAddress(String ip) {
        if (ip == null || ip.isEmpty() || !(ip.contains(":") || ip.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            return false;
        }
        try {
            InetAddress a = InetAddress.ofLiteral(ip);
            return !a.isAnyLocalAddress() && !a.isMulticastAddress() && !a.isLinkLocalAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int portNumber(String ip, String port) {
        try {
            int n = Integer.parseInt(port);
            if (n > 0 && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException e) {
            // as below
        }
        throw unavailable("error trying to reach service: dial tcp " + ip + ":" + port + ": unknown port");
    }

    /** The raw path after {@code …/{name}/proxy} ({@code /api/v1/namespaces/ns/pods/web/proxy/a/} → {@code /a/}). */
    static String pathAfterProxy(String rawPath) {
        int segment = 0;
        for (int i = 0; i < rawPath.length(); i++) {
            if (rawPath.charAt(i) == '/' && i + 1 < rawPath.length() && rawPath.charAt(i + 1) != '/' && ++segment == 8) {
                return rawPath.substring(i);
            }
        }
        return "/";
    }

    /** Headers of the pod's answer that are dropped, as upstream's proxy drops the backend's CORS headers. */
    private static final Set<String> CORS = Set.of("access-control-allow-credentials", "access-control-allow-headers",
            "access-control-allow-methods", "access-control-allow-origin");

    private void forward(Exchange ex, Target t, String prefix, String path) throws IOException {
        String query = ex.request.getHttpURI().getQuery();
        URI uri = URI.create(t.scheme() + "://" + t.hostPort() + path + (query == null ? "" : "?" + query));
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).expectContinue(false);
        Set<String> named = connectionTokens(ex);
        for (HttpField f : ex.request.getHeaders()) {
            String name = f.getName().toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(name) && !named.contains(name)) {
                req.header(f.getName(), f.getValue());
            }
        }
        long length = ex.request.getLength();
        boolean body = length > 0 || (length < 0 && ex.header("Transfer-Encoding") != null);
        HttpRequest.BodyPublisher publisher = !body ? HttpRequest.BodyPublishers.noBody()
                : length > 0 ? HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(ex::bodyPassedOn), length)
                : HttpRequest.BodyPublishers.ofInputStream(ex::bodyPassedOn);
        req.method(ex.method(), publisher);
        req.setHeader("X-Forwarded-Uri", joinPath(prefix, path));
        HttpResponse<InputStream> r;
        try {
            r = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while proxying", e);
        } catch (IOException e) {
            throw unavailable("error trying to reach service: " + dialError(t, e));
        }
        try (InputStream in = r.body()) {
            ex.response.setStatus(r.statusCode());
            Set<String> answerNamed = new HashSet<>();
            r.headers().allValues("Connection").forEach(v -> answerNamed.addAll(tokens(v)));
            for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                if (name.equals("location")) {
                    h.getValue().forEach(v -> ex.response.getHeaders().add(h.getKey(),
                            rewriteLocation(v, t.hostPort(), ex.header("Host"), prefix)));
                } else if (!name.startsWith(":") && !answerNamed.contains(name) && !CORS.contains(name)
                        && (name.equals("content-length") || !NOT_FORWARDED.contains(name))) {
                    h.getValue().forEach(v -> ex.response.getHeaders().add(h.getKey(), v));
                }
            }
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0) {
                    ex.write(false, ByteBuffer.wrap(buf, 0, n));
                }
            }
            ex.write(true, ByteBuffer.allocate(0));
        }
    }

    /** As Go's {@code path.Join} of the proxy prefix and a path, keeping a trailing slash. */
    static String joinPath(String prefix, String path) {
        String joined = (prefix + "/" + path).replaceAll("/{2,}", "/");
        joined = URI.create("http://h" + joined).normalize().getRawPath();
        if (path.endsWith("/") && !joined.endsWith("/")) {
            joined += "/";
        } else if (!path.endsWith("/") && joined.length() > 1 && joined.endsWith("/")) {
            joined = joined.substring(0, joined.length() - 1);
        }
        return joined;
    }

    /**
     * A redirect of the pod's, as upstream's proxy transport rewrites it: an absolute path, on no
     * host or on the pod's or the request's host, is taken through the proxy ({@code /login} →
     * {@code /api/v1/namespaces/ns/pods/web/proxy/login}); anything else is left as sent.
     */
    static String rewriteLocation(String location, String podHost, String requestHost, String prefix) {
        URI u;
        try {
            u = new URI(location);
        } catch (java.net.URISyntaxException e) {
            throw new ApiException.Internal("error trying to parse Location header: " + e.getMessage());
        }
        String host = u.getRawAuthority();
        boolean otherHost = host != null && !host.equals(podHost) && !host.equals(requestHost);
        String path = u.getRawPath();
        if (otherHost || path == null || !path.startsWith("/")) {
            return location;
        }
        StringBuilder out = new StringBuilder();
        if (host != null && host.equals(requestHost)) {
            out.append(u.getScheme() == null ? "" : u.getScheme() + ":").append("//").append(host);
        }
        out.append(joinPath(prefix, path));
        if (u.getRawQuery() != null) {
            out.append('?').append(u.getRawQuery());
        }
        if (u.getRawFragment() != null) {
            out.append('#').append(u.getRawFragment());
        }
        return out.toString();
    }

    private static Set<String> connectionTokens(Exchange ex) {
        Set<String> out = new HashSet<>();
        ex.request.getHeaders().getValuesList("Connection").forEach(v -> out.addAll(tokens(v)));
        return out;
    }

    private static List<String> tokens(String value) {
        return java.util.Arrays.stream(value.split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).toList();
    }

    /** As Go's dial errors read: {@code dial tcp 10.1.0.5:80: connect: connection refused}. */
    private static String dialError(Target t, IOException e) {
        String dial = "dial tcp " + t.hostPort() + ": ";
        if (e instanceof HttpConnectTimeoutException) {
            return dial + "i/o timeout";
        }
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return dial + "connect: connection refused";
        }
        if (e instanceof UnknownHostException) {
            return dial + "no such host";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static ApiException unavailable(String message) {
        return new ApiException.Other(503, "ServiceUnavailable", message);
    }
}
