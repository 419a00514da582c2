package io.podvisor.apiserver.http;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * {@code GET pods/{name}/exec} (and {@code pods/{name}/attach}, the same without a command) with a WebSocket upgrade offering {@code v5.channel.k8s.io} (or v4):
 * checks the pod, container, command and streams, and that the pod is bound to a node, before
 * upgrading (400 Status otherwise, as kube-apiserver: {@code pod web does not have a host assigned}), then
 * hands the connection to an {@link ExecSession}. A request without an upgrade is 400
 * {@code Upgrade request required}; SPDY (kubectl's fallback, a POST) is refused with 400 after the
 * same checks, so kubectl reports the real problem.
 */
final class ExecEndpoint {

    static final String V5 = "v5.channel.k8s.io";
    static final String V4 = "v4.channel.k8s.io";

    private final Registry registry;
    private final ContainerStreams streams;
    private final Supplier<ServerWebSocketContainer> websockets;

    ExecEndpoint(Registry registry, ContainerStreams streams, Supplier<ServerWebSocketContainer> websockets) {
        this.registry = registry;
        this.streams = streams;
        this.websockets = websockets;
    }

    void serve(Exchange ex, String namespace, String name) {
        serve(ex, namespace, name, false);
    }

    /** {@code GET pods/{name}/attach}: as exec, without a command. */
    void serveAttach(Exchange ex, String namespace, String name) {
        serve(ex, namespace, name, true);
    }

    private void serve(Exchange ex, String namespace, String name, boolean attach) {
        Pod pod = (Pod) registry.get(ResourceTypes.PODS, namespace, name);
        Query q = ex.query();
        String container = PodContainers.resolve(pod, q.get("container"));
        List<String> command = attach ? List.of() : q.all("command");
        if (!attach && command.isEmpty()) {
            throw new ApiException.BadRequest("you must specify at least one command for the container");
        }
        ExecSession.Request req = new ExecSession.Request(pod, container, command,
                q.flag("stdin"), q.flag("stdout"), q.flag("stderr"), q.flag("tty"), attach);
        if (!req.stdin() && !req.stdout() && !req.stderr()) {
            throw new ApiException.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
        if (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty()) {
            throw new ApiException.BadRequest("pod " + name + " does not have a host assigned");
        }
        String upgrade = ex.header("Upgrade");
        if (upgrade == null || upgrade.isBlank()) {
            throw new ApiException.BadRequest("Upgrade request required");
        }
        if (!ex.method().equals("GET") || !upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
            throw new ApiException.BadRequest("unable to upgrade connection: only WebSocket (" + V5 + ", " + V4
                    + ") is supported, not " + upgrade);
        }
        String protocol = negotiate(ex.request.getHeaders().getValuesList("Sec-WebSocket-Protocol"));
        boolean upgraded = websockets.get().upgrade((upReq, upResp, cb) -> {
            upResp.setAcceptedSubProtocol(protocol);
            return new ExecSession(streams, req, protocol.equals(V5));
        }, ex.request, ex.response, ex.callback);
        if (!upgraded) {
            throw new ApiException.BadRequest("Upgrade request required");
        }
        ex.detach();
    }

    static String negotiate(List<String> headers) {
        List<String> offered = new ArrayList<>();
        for (String h : headers) {
            for (String p : h.split(",")) {
                offered.add(p.trim());
            }
        }
        if (offered.contains(V5)) {
            return V5;
        }
        if (offered.contains(V4)) {
            return V4;
        }
        throw new ApiException.BadRequest("unable to upgrade: no supported protocol among " + offered
                + "; supported: [" + V5 + " " + V4 + "]");
    }
}
