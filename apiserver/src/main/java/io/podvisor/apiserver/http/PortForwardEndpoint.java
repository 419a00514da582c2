package io.podvisor.apiserver.http;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry;
import java.util.Locale;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * {@code pods/{name}/portforward}: with a WebSocket upgrade offering
 * {@code SPDY/3.1+portforward.k8s.io} (kubectl 1.31+), the SPDY port-forward protocol tunnelled in
 * the WebSocket ({@link PortForwardTunnel}, {@link SpdyPortForward}). As kube-apiserver, a pod not
 * bound to a node is refused before the upgrade with 400 {@code pod web does not have a host
 * assigned}; a request without an upgrade is 400 {@code Upgrade request required}. A plain SPDY
 * upgrade (kubectl's fallback) and the {@code v4.channel.k8s.io} channel protocol are refused with
 * 400 naming the protocol served.
 */
final class PortForwardEndpoint {

    static final String TUNNEL = "SPDY/3.1+portforward.k8s.io";
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final Registry registry;
    private final Supplier<ServerWebSocketContainer> websockets;

    PortForwardEndpoint(Registry registry, Supplier<ServerWebSocketContainer> websockets) {
        this.registry = registry;
        this.websockets = websockets;
    }

    void serve(Exchange ex, String namespace, String name) {
        Pod pod = (Pod) registry.get(ResourceTypes.PODS, namespace, name);
        if (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty()) {
            throw new ApiException.BadRequest("pod " + name + " does not have a host assigned");
        }
        String upgrade = ex.header("Upgrade");
        if (upgrade == null || upgrade.isBlank()) {
            throw new ApiException.BadRequest("Upgrade request required");
        }
        boolean offered = ex.request.getHeaders().getValuesList("Sec-WebSocket-Protocol").stream()
                .flatMap(h -> java.util.Arrays.stream(h.split(","))).map(String::trim).anyMatch(TUNNEL::equals);
        if (!ex.method().equals("GET") || !upgrade.toLowerCase(Locale.ROOT).contains("websocket") || !offered) {
            throw new ApiException.BadRequest("unable to upgrade connection: only WebSocket (" + TUNNEL
                    + ") is supported, not " + upgrade);
        }
        String podId = pod.getMetadata().getUid() == null ? name : pod.getMetadata().getUid();
        PodDialer dialer = PodDialer.podIp(pod, CONNECT_TIMEOUT_MILLIS);
        boolean upgraded = websockets.get().upgrade((upReq, upResp, cb) -> {
            upResp.setAcceptedSubProtocol(TUNNEL);
            return new PortForwardTunnel(out -> new SpdyPortForward(out, dialer, podId));
        }, ex.request, ex.response, ex.callback);
        if (!upgraded) {
            throw new ApiException.BadRequest("Upgrade request required");
        }
        ex.detach();
    }
}
