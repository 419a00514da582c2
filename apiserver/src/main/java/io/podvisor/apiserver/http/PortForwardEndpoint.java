package io.podvisor.apiserver.http;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.client.ContainerStreams;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * {@code pods/{name}/portforward}: with a WebSocket upgrade offering
 * {@code SPDY/3.1+portforward.k8s.io} (kubectl 1.31+), the SPDY port-forward protocol tunnelled in
 * the WebSocket ({@link PortForwardTunnel}, {@link SpdyPortForward}). As kube-apiserver, a pod not
 * bound to a node is refused before the upgrade with 400 {@code pod web does not have a host
 * assigned}; a request without an upgrade is 400 {@code Upgrade request required}. A WebSocket
 * offering {@code v4.channel.k8s.io}, {@code v4.base64.channel.k8s.io} or no subprotocol gets the
 * channel protocol of the other clients ({@link ChannelPortForward}) on the {@code ports} it names,
 * checked before the upgrade with the kubelet's 400 texts ({@code query parameter "port" is
 * required}, …). A plain SPDY upgrade (kubectl's fallback, a POST) is refused with 400.
 */
final class PortForwardEndpoint {

    static final String TUNNEL = "SPDY/3.1+portforward.k8s.io";
    static final String V4_BASE64 = "v4.base64.channel.k8s.io";
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final Registry registry;
    private final Supplier<ServerWebSocketContainer> websockets;
    private final ContainerStreams streams;

    PortForwardEndpoint(Registry registry, ContainerStreams streams, Supplier<ServerWebSocketContainer> websockets) {
        this.registry = registry;
        this.streams = streams;
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
        if (!ex.method().equals("GET") || !upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
            throw new ApiException.BadRequest("unable to upgrade connection: only WebSocket (" + TUNNEL + ", "
                    + ExecEndpoint.V4 + ") is supported, not " + upgrade);
        }
        List<String> offered = ex.request.getHeaders().getValuesList("Sec-WebSocket-Protocol").stream()
                .flatMap(h -> Arrays.stream(h.split(","))).map(String::trim).filter(p -> !p.isEmpty()).toList();
        String podId = pod.getMetadata().getUid() == null ? name : pod.getMetadata().getUid();
        PodDialer dialer = dialer(pod);
        String protocol;
        Supplier<Object> endpoint;
        if (offered.contains(TUNNEL)) {
            protocol = TUNNEL;
            endpoint = () -> new PortForwardTunnel(out -> new SpdyPortForward(out, dialer, podId));
        } else if (offered.isEmpty() || offered.contains(ExecEndpoint.V4) || offered.contains(V4_BASE64)) {
            List<Integer> ports = ports(ex.query().all("ports"));
            boolean base64 = !offered.contains(ExecEndpoint.V4) && offered.contains(V4_BASE64);
            protocol = offered.isEmpty() ? null : base64 ? V4_BASE64 : ExecEndpoint.V4;
            endpoint = () -> new ChannelPortForward(dialer, podId, ports, base64);
        } else {
            throw new ApiException.BadRequest("unable to upgrade: no supported protocol among " + offered
                    + "; supported: [" + TUNNEL + " " + ExecEndpoint.V4 + " " + V4_BASE64 + "]");
        }
        boolean upgraded = websockets.get().upgrade((upReq, upResp, cb) -> {
            if (protocol != null) {
                upResp.setAcceptedSubProtocol(protocol);
            }
            return endpoint.get();
        }, ex.request, ex.response, ex.callback);
        if (!upgraded) {
            throw new ApiException.BadRequest("Upgrade request required");
        }
        ex.detach();
    }

    /** This node's pods by their IP, another node's through its kubelet (when the streams are routed by node). */
    private PodDialer dialer(Pod pod) {
        return streams instanceof NodeRoutedStreams routed ? routed.portForwardDialer(pod, CONNECT_TIMEOUT_MILLIS)
                : PodDialer.podIp(pod, CONNECT_TIMEOUT_MILLIS);
    }

    /** The {@code ports} of a channel-protocol request, checked as the kubelet checks its {@code port}s. */
    static List<Integer> ports(List<String> values) {
        if (values.isEmpty()) {
            throw new ApiException.BadRequest("query parameter \"port\" is required");
        }
        List<Integer> ports = new ArrayList<>();
        for (String value : values) {
            if (value.isEmpty()) {
                throw new ApiException.BadRequest("query parameter \"port\" cannot be empty");
            }
            for (String p : value.split(",", -1)) {
                int port;
                try {
                    port = Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 0 || port > 65535 || !p.chars().allMatch(Character::isDigit)) {
                    throw new ApiException.BadRequest("unable to parse \"" + value + "\" as a port: strconv.ParseUint: "
                            + "parsing \"" + p + "\": " + (p.chars().allMatch(Character::isDigit) && !p.isEmpty()
                                    ? "value out of range" : "invalid syntax"));
                }
                if (port < 1) {
                    throw new ApiException.BadRequest("port \"" + value + "\" must be > 0");
                }
                ports.add(port);
            }
        }
        return ports;
    }
}
