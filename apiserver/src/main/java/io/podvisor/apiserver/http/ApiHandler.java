package io.podvisor.apiserver.http;

import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root handler: authenticates, then routes {@code /version}, health, discovery, OpenAPI and
 * resource URLs. Runs blocking on a virtual thread per request. Every failure is answered as a
 * JSON Status with its HTTP code; unexpected exceptions are 500 InternalError.
 */
final class ApiHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    static final String NOT_FOUND = "the server could not find the requested resource";
    private static final List<String> HEALTH = List.of("healthz", "livez", "readyz");

    private final Auth auth;
    private final List<ResourceType> types;
    private final Discovery discovery;
    private final OpenApi openApi;
    private final ResourceHandler resources;
    private final MetricsApi metrics;
    private final Health health;

    ApiHandler(Auth auth, List<ResourceType> types, ResourceHandler resources, MetricsApi metrics, Health health) {
        this.auth = auth;
        this.types = List.copyOf(types);
        this.discovery = new Discovery(types);
        this.openApi = new OpenApi(types);
        this.resources = resources;
        this.metrics = metrics;
        this.health = health;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange ex = new Exchange(request, response, callback);
        try {
            String path = request.getHttpURI().getPath();
            Auth.User user = auth.authenticate(request.getMethod(), path, ex.header("Authorization"))
                    .orElseThrow(ApiException.Unauthorized::new);
            route(ex, user, segments(path));
            if (!ex.detached()) {
                callback.succeeded();
            }
        } catch (ApiException e) {
            if (e.code() >= 500) { // the server's failure, not the client's: logged with its cause
                LOG.error("{} {} answered {}: {}", request.getMethod(), request.getHttpURI().getPath(), e.code(),
                        e.getMessage(), e.getCause());
            }
            fail(ex, e);
        } catch (IOException e) {
            callback.failed(e);
        } catch (RuntimeException e) {
            // the path without its query: nothing a client sent beyond what names the resource
            LOG.error("{} {} answered 500: {}", request.getMethod(), request.getHttpURI().getPath(), e, e);
            fail(ex, new ApiException.Internal(e.getClass().getSimpleName() + ": " + e.getMessage()));
        } catch (OutOfMemoryError e) {
            health.fatal(e);
            fail(ex, new ApiException.Internal(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        return true;
    }

    private static void fail(Exchange ex, ApiException e) {
        if (ex.detached()) {
            return;
        }
        if (ex.committed()) {
            ex.callback.failed(e);
            return;
        }
        try {
            ex.response.getHeaders().clear();
            ex.sendError(e);
            ex.callback.succeeded();
        } catch (IOException | RuntimeException io) {
            ex.callback.failed(io);
        }
    }

    private void route(Exchange ex, Auth.User user, List<String> s) throws IOException {
        String first = s.isEmpty() ? "" : s.getFirst();
        if (s.size() >= 3 && first.equals("apis")) {
            resourceOrGroupVersion(ex, user, s.get(1), s.get(2), s.subList(3, s.size()));
            return;
        }
        if (s.size() >= 2 && first.equals("api") && s.get(1).equals("v1")) {
            resourceOrGroupVersion(ex, user, "", "v1", s.subList(2, s.size()));
            return;
        }
        if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
            throw knownPath(s) ? ResourceHandler.notAllowed() : new ApiException.NotFound(NOT_FOUND);
        }
        if (!s.isEmpty() && HEALTH.contains(first)) {
            health.serve(ex, first, s.subList(1, s.size()));
            return;
        }
        switch (String.join("/", s)) {
            case "" -> ex.sendJson(200, rootPaths());
            case "version" -> ex.sendJson(200, ServerInfo.version());
            case "api" -> discovery(ex, true);
            case "apis" -> discovery(ex, false);
            case "openapi/v3" -> ex.sendJson(200, openApi.index());
            default -> other(ex, s);
        }
    }

    private static boolean knownPath(List<String> s) {
        String p = String.join("/", s);
        return List.of("", "version", "api", "apis", "openapi/v3").contains(p) || (!s.isEmpty() && HEALTH.contains(s.getFirst()))
                || p.startsWith("openapi/v3/") || (s.size() == 2 && s.getFirst().equals("apis"));
    }

    private void other(Exchange ex, List<String> s) throws IOException {
        if (s.size() > 2 && s.get(0).equals("openapi") && s.get(1).equals("v3")) {
            byte[] doc = openApi.document(String.join("/", s.subList(2, s.size())));
            if (doc != null) {
                ex.send(200, Exchange.JSON, doc);
                return;
            }
        }
        if (s.size() == 2 && s.get(0).equals("apis") && discovery.servesGroup(s.get(1))) {
            ex.sendJson(200, discovery.apiGroup(s.get(1)));
            return;
        }
        throw new ApiException.NotFound(NOT_FOUND);
    }

    private void discovery(Exchange ex, boolean core) throws IOException {
        ex.response.getHeaders().put("Vary", "Accept");
        Optional<String> aggregated = MediaTypes.discoveryVersion(ex.header("Accept"));
        if (aggregated.isPresent()) {
            String v = aggregated.get();
            ex.send(200, v.equals("v2") ? MediaTypes.DISCOVERY_V2 : MediaTypes.DISCOVERY_V2BETA1,
                    discovery.aggregatedJson(core, v));
        } else if (core) {
            ex.sendJson(200, discovery.apiVersions(Request.getLocalAddr(ex.request) + ":" + Request.getLocalPort(ex.request)));
        } else {
            ex.sendJson(200, discovery.apiGroupList());
        }
    }

    private void resourceOrGroupVersion(Exchange ex, Auth.User user, String group, String version, List<String> rest)
            throws IOException {
        if (!discovery.serves(group, version)) {
            throw new ApiException.NotFound(NOT_FOUND);
        }
        if (rest.isEmpty()) {
            if (!ex.method().equals("GET")) {
                throw ResourceHandler.notAllowed();
            }
            ex.sendJson(200, discovery.resourceList(group, version));
            return;
        }
        if (Discovery.isMetrics(group, version)) {
            metrics.handle(ex, rest);
            return;
        }
        if (Discovery.served(group, version).isPresent()) {
            ReviewApi.handle(ex, user, group, rest);
            return;
        }
        ResourcePath p = ResourcePath.parse(types, group, version, rest)
                .orElseThrow(() -> new ApiException.NotFound(NOT_FOUND));
        resources.handle(ex, p);
    }

    private com.fasterxml.jackson.databind.node.ObjectNode rootPaths() {
        com.fasterxml.jackson.databind.node.ObjectNode n = Json.object();
        var paths = n.putArray("paths");
        paths.add("/api");
        paths.add("/api/v1");
        paths.add("/apis");
        discovery.groupVersions().stream().filter(gv -> gv.contains("/")).forEach(gv -> paths.add("/apis/" + gv));
        List.of("/healthz", "/livez", "/openapi/v3", "/readyz", "/version").forEach(paths::add);
        return n;
    }

    /** The decoded, non-empty path segments ({@code /api/v1/pods} → [api, v1, pods]). */
    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        if (rawPath == null) {
            return out;
        }
        for (String seg : rawPath.split("/")) {
            if (!seg.isEmpty()) {
                try {
                    out.add(URLDecoder.decode(seg.replace("+", "%2B"), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new ApiException.BadRequest("invalid path: " + rawPath);
                }
            }
        }
        return out;
    }
}
