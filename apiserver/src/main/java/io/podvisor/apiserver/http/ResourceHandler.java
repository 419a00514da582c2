package io.podvisor.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.patch.PatchType;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.validation.StrictDecoding;
import io.podvisor.apiserver.registry.GcFinalizers;
import io.podvisor.apiserver.registry.Registry;
import io.podvisor.apiserver.registry.Registry.Part;
import io.podvisor.core.Clock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The verbs on resource URLs: GET (get, list, watch; Tables on request), POST (create), PUT
 * (update), PATCH, DELETE (one object or a collection), and the {@code status}, {@code log},
 * {@code exec}, {@code attach}, {@code portforward}, {@code proxy}, {@code eviction} and {@code binding} subresources, and service accounts' {@code token}. Everything else is 405.
 */
final class ResourceHandler {

    private final Registry registry;
    private final Clock clock;
    private final WatchStream watches;
    private final LogsEndpoint logs;
    private final ExecEndpoint exec;
    private final PortForwardEndpoint portForward;
    private final ProxyEndpoint proxy;

    private final ServiceAccountTokens serviceAccounts;

    ResourceHandler(Registry registry, Clock clock, LogsEndpoint logs, ExecEndpoint exec,
            PortForwardEndpoint portForward, ServiceAccountTokens serviceAccounts) {
        this.serviceAccounts = serviceAccounts;
        this.registry = registry;
        this.clock = clock;
        this.watches = new WatchStream(registry, clock);
        this.logs = logs;
        this.exec = exec;
        this.portForward = portForward;
        this.proxy = new ProxyEndpoint(registry);
    }

    /** Ends the open watches (the server is stopping). */
    void stopWatches() {
        watches.stop();
    }

    void handle(Exchange ex, ResourcePath p) throws IOException {
        String m = ex.method();
        if (p.subresource() != null) {
            subresource(ex, p, m);
        } else if (p.collection()) {
            if (p.type().namespaced() && p.namespace() == null && !m.equals("GET")) {
                throw notAllowed(); // the all-namespaces path serves only list and watch
            }
            switch (m) {
                case "GET" -> listOrWatch(ex, p);
                case "POST" -> create(ex, p);
                case "DELETE" -> deleteCollection(ex, p);
                default -> throw notAllowed();
            }
        } else {
            switch (m) {
                case "GET" -> get(ex, p);
                case "PUT" -> update(ex, p, Part.MAIN);
                case "PATCH" -> patch(ex, p, Part.MAIN);
                case "DELETE" -> delete(ex, p);
                default -> throw notAllowed();
            }
        }
    }

    private void subresource(Exchange ex, ResourcePath p, String m) throws IOException {
        switch (p.subresource() + " " + m) {
            case "status GET" -> get(ex, p);
            case "status PUT" -> update(ex, p, Part.STATUS);
            case "status PATCH" -> patch(ex, p, Part.STATUS);
            case "log GET" -> logs.serve(ex, p.namespace(), p.name());
            case "exec GET", "exec POST" -> exec.serve(ex, p.namespace(), p.name());
            case "attach GET", "attach POST" -> exec.serveAttach(ex, p.namespace(), p.name());
            case "portforward GET", "portforward POST" -> portForward.serve(ex, p.namespace(), p.name());
            case "proxy GET", "proxy HEAD", "proxy POST", "proxy PUT", "proxy PATCH", "proxy DELETE", "proxy OPTIONS" ->
                proxy.serve(ex, p);
            case "eviction POST" -> Eviction.evict(registry, ex, p);
            case "binding POST" -> Eviction.bind(registry, ex, p);
            case "token POST" -> serviceAccounts.request(ex, p);
            default -> throw notAllowed();
        }
    }

    static ApiException notAllowed() {
        return new ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
    }

    private Optional<TableWriter> tables(Exchange ex, ResourceType type) {
        return MediaTypes.tableVersion(ex.header("Accept"))
                .map(v -> new TableWriter(type, v, TableWriter.include(ex.query().get("includeObject")), clock));
    }

    private void listOrWatch(Exchange ex, ResourcePath p) throws IOException {
        Query q = ex.query();
        Registry.ListOptions options = ListParams.of(p.namespace(), q);
        Optional<TableWriter> tables = tables(ex, p.type());
        if (q.flag("watch")) {
            Duration timeout = WatchStream.timeout(q.number("timeoutSeconds"), q.get("timeout"));
            if (webSocketRequest(ex)) {
                watches.serveWebSocket(ex, p.type(), options, tables.orElse(null), timeout);
            } else {
                watches.serve(ex, p.type(), options, tables.orElse(null), timeout);
            }
            return;
        }
        Registry.ListResult r = registry.list(p.type(), options);
        if (tables.isPresent()) {
            ex.sendJson(200, tables.get().table(r.items(), r.resourceVersion(), r.continueToken(), r.remainingItemCount()));
        } else {
            ex.sendJson(200, listBody(p.type(), r.items(), r.resourceVersion(), r.continueToken(), r.remainingItemCount()));
        }
    }

    /** As Go's {@code wsstream.IsWebSocketRequest}: {@code Connection: Upgrade} and {@code Upgrade: websocket}. */
    static boolean webSocketRequest(Exchange ex) {
        String connection = ex.header("Connection");
        String upgrade = ex.header("Upgrade");
        return connection != null && upgrade != null
                && connection.toLowerCase(Locale.ROOT).contains("upgrade")
                && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    static ObjectNode listBody(ResourceType type, List<HasMetadata> items, String rv, String cont, Long remaining) {
        ObjectNode list = Json.object();
        list.put("kind", type.listKind());
        list.put("apiVersion", type.apiVersion());
        ObjectNode meta = list.putObject("metadata");
        if (rv != null) {
            meta.put("resourceVersion", rv);
        }
        if (cont != null && !cont.isEmpty()) {
            meta.put("continue", cont);
        }
        if (remaining != null) {
            meta.put("remainingItemCount", remaining);
        }
        list.set("items", Json.tree(items));
        return list;
    }

    private void get(Exchange ex, ResourcePath p) throws IOException {
        ListParams.resourceVersion(ex.query().get("resourceVersion"));
        HasMetadata o = registry.get(p.type(), p.namespace(), p.name());
        Optional<TableWriter> tables = tables(ex, p.type());
        if (tables.isPresent()) {
            ex.sendJson(200, tables.get().table(List.of(o), o.getMetadata().getResourceVersion(), null, null));
        } else {
            ex.sendJson(200, o);
        }
    }

    private void create(Exchange ex, ResourcePath p) throws IOException {
        Registry.WriteOptions options = WriteParams.managerOrUserAgent(WriteParams.create(ex.query()), ex.header("User-Agent"));
        byte[] raw = ex.body();
        JsonNode body = Bodies.object(ex.header("Content-Type"), raw);
        List<String> duplicates = duplicates(ex, p, raw, body, options);
        Registry.WriteResult r = registry.create(p.type(), p.namespace(), body, options);
        ex.warnings(duplicates);
        ex.warnings(r.warnings());
        ex.sendJson(r.created() ? 201 : 200, r.object());
    }

    private void update(Exchange ex, ResourcePath p, Part part) throws IOException {
        Registry.WriteOptions options = WriteParams.managerOrUserAgent(WriteParams.update(ex.query()), ex.header("User-Agent"));
        byte[] raw = ex.body();
        JsonNode body = Bodies.object(ex.header("Content-Type"), raw);
        List<String> duplicates = duplicates(ex, p, raw, body, options);
        Registry.WriteResult r = registry.update(p.type(), p.namespace(), p.name(), body, options, part);
        ex.warnings(duplicates);
        ex.warnings(r.warnings());
        ex.sendJson(r.created() ? 201 : 200, r.object());
    }

    /**
     * Keys a JSON body repeats, as upstream's decoding treats them under {@code fieldValidation}:
     * Strict refuses the body (with its unknown fields, as {@code strict decoding error: unknown
     * field "a", duplicate field "b"}), Warn returns them as warnings, Ignore drops them (the last
     * value counts, as in Go).
     */
    private static List<String> duplicates(Exchange ex, ResourcePath p, byte[] raw, JsonNode body,
            Registry.WriteOptions options) {
        if (options.fieldValidation() == Registry.FieldValidation.IGNORE) {
            return List.of();
        }
        List<String> found = Bodies.duplicateFields(ex.header("Content-Type"), raw);
        if (found.isEmpty() || options.fieldValidation() != Registry.FieldValidation.STRICT) {
            return found;
        }
        List<String> all = new ArrayList<>();
        boolean yaml = Bodies.isYaml(ex.header("Content-Type"));
        if (yaml) {
            all.addAll(found); // upstream converts YAML strictly before it decodes the JSON
        }
        StrictDecoding.unknownFields(body, p.type().javaType()).forEach(u -> all.add("unknown field \"" + u + "\""));
        if (!yaml) {
            all.addAll(found);
        }
        ResourceType t = p.type();
        throw new ApiException.BadRequest(t.kind() + " in version \"" + t.version() + "\" cannot be handled as a "
                + t.kind() + ": strict decoding error: " + String.join(", ", all));
    }

    private void patch(Exchange ex, ResourcePath p, Part part) throws IOException {
        PatchType type = PatchType.of(ex.header("Content-Type")).orElseThrow(() -> new ApiException.UnsupportedMediaType(
                "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, "
                        + "application/strategic-merge-patch+json"));
        Registry.WriteOptions options = WriteParams.managerOrUserAgent(WriteParams.patch(ex.query(), type), ex.header("User-Agent"));
        byte[] body = ex.body();
        Registry.WriteResult r = registry.patch(p.type(), p.namespace(), p.name(), type, body, options, part);
        ex.warnings(r.warnings());
        ex.sendJson(r.created() ? 201 : 200, r.object());
    }

    private void delete(Exchange ex, ResourcePath p) throws IOException {
        DeleteOptions options = WriteParams.deleteOptions(ex);
        Registry.DeleteResult r = registry.delete(p.type(), p.namespace(), p.name(), options);
        ex.warnings(GcFinalizers.deleteWarnings(p.type(), options));
        ex.sendJson(200, r.object());
    }

    private void deleteCollection(Exchange ex, ResourcePath p) throws IOException {
        Query q = ex.query();
        Registry.ListOptions listOptions = ListParams.of(p.namespace(), q);
        DeleteOptions options = WriteParams.deleteOptions(ex);
        listOptions = new Registry.ListOptions(p.namespace(), listOptions.labelSelector(), listOptions.fieldSelector(),
                null, 0, null, false);
        Registry.ListResult all = registry.list(p.type(), listOptions);
        List<HasMetadata> deleted = new ArrayList<>();
        for (HasMetadata o : all.items()) {
            try {
                deleted.add(registry.delete(p.type(), o.getMetadata().getNamespace(), o.getMetadata().getName(), options).object());
            } catch (ApiException.NotFound gone) {
                // deleted meanwhile: nothing to report
            }
        }
        ex.warnings(GcFinalizers.deleteWarnings(p.type(), options));
        ex.sendJson(200, listBody(p.type(), deleted, all.resourceVersion(), null, null));
    }
}
