package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.podvisor.api.resources.ResourceTypes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code pods/{name}/proxy} and {@code services/{name}/proxy}: a loopback HTTP server stands in for
 * the pod ({@code status.podIP} 127.0.0.1) and echoes what reached it.
 */
class ProxyTest extends ServerTestBase {

    private HttpServer pod;
    private int podPort;

    @BeforeEach
    void startPod() throws IOException {
        pod = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pod.createContext("/", this::echo);
        pod.createContext("/redirect/", e -> {
            e.getResponseHeaders().add("Location", e.getRequestURI().getRawQuery());
            e.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
            e.getResponseHeaders().add("X-Forwarded-Uri-Seen", e.getRequestHeaders().getFirst("X-Forwarded-Uri"));
            e.sendResponseHeaders(302, -1);
            e.close();
        });
        pod.start();
        podPort = pod.getAddress().getPort();
    }

    @AfterEach
    void stopPod() {
        pod.stop(0);
    }

    private void echo(HttpExchange e) throws IOException {
        byte[] in = e.getRequestBody().readAllBytes();
        String text = e.getRequestMethod() + " " + e.getRequestURI().getRawPath()
                + " query=" + e.getRequestURI().getRawQuery()
                + " auth=" + e.getRequestHeaders().getFirst("Authorization")
                + " custom=" + e.getRequestHeaders().getFirst("X-Custom")
                + " keepalive=" + e.getRequestHeaders().getFirst("Keep-Alive")
                + " body=" + new String(in, StandardCharsets.UTF_8);
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        e.getResponseHeaders().add("X-From-Pod", "yes");
        e.getResponseHeaders().add("Content-Type", "text/plain");
        e.sendResponseHeaders(e.getRequestURI().getRawPath().equals("/created") ? 201 : 200,
                e.getRequestMethod().equals("HEAD") ? -1 : out.length);
        if (!e.getRequestMethod().equals("HEAD")) {
            e.getResponseBody().write(out);
        }
        e.close();
    }

    private Pod pod(String name, String ip, Integer containerPort) {
        Pod p = addPod(name, Map.of(), "app");
        if (containerPort != null) {
            p.getSpec().getContainers().getFirst().getPorts().add(new ContainerPortBuilder().withContainerPort(containerPort).build());
        }
        p.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(ip).build());
        return (Pod) registry.put(ResourceTypes.PODS, p);
    }

    @Test
    void podProxyForwardsPathQueryAndBodyButNotTheCallersCredentials() throws Exception {
        pod("web", "127.0.0.1", null);
        HttpResponse<String> r = get("/api/v1/namespaces/default/pods/web:" + podPort + "/proxy/some/where%20x/?a=1&b=two",
                "X-Custom", "kept", "Keep-Alive", "timeout=5");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("GET /some/where%20x/ query=a=1&b=two auth=null custom=kept keepalive=null body=");
        assertThat(r.headers().firstValue("X-From-Pod")).hasValue("yes");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");

        HttpResponse<String> post = send("POST", "/api/v1/namespaces/default/pods/http:web:" + podPort + "/proxy/created",
                "text/plain", "hello pod");
        assertThat(post.statusCode()).isEqualTo(201);
        assertThat(post.body()).isEqualTo("POST /created query=null auth=null custom=null keepalive=null body=hello pod");

        HttpResponse<String> root = get("/api/v1/namespaces/default/pods/web:" + podPort + "/proxy");
        assertThat(root.body()).startsWith("GET / query=null");

        HttpResponse<String> head = http.send(request("/api/v1/namespaces/default/pods/web:" + podPort + "/proxy/x")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("X-From-Pod")).hasValue("yes");
    }

    @Test
    void anHttpsTargetIsReachedOverTlsWithoutCheckingItsCertificate() throws Exception {
        pod("tls", "127.0.0.1", null); // "the pod" is this API server itself: TLS with a certificate of its own CA
        HttpResponse<String> r = get("/api/v1/namespaces/default/pods/https:tls:" + port + "/proxy/version");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("gitVersion").asText()).startsWith("v1.");
    }

    @Test
    void redirectsToThePodItselfAreTakenThroughTheProxyAndCorsHeadersDropped() throws Exception {
        pod("web", "127.0.0.1", null);
        String base = "/api/v1/namespaces/default/pods/web:" + podPort + "/proxy";
        HttpResponse<String> r = get(base + "/redirect/here/?/login/?next=1");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue(base + "/login/?next=1");
        assertThat(r.headers().firstValue("X-Forwarded-Uri-Seen")).hasValue(base + "/redirect/here/");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> own = get(base + "/redirect/?http://127.0.0.1:" + podPort + "/a/../b");
        assertThat(own.headers().firstValue("Location")).hasValue(base + "/b");
        HttpResponse<String> away = get(base + "/redirect/?http://example.com/x");
        assertThat(away.headers().firstValue("Location")).hasValue("http://example.com/x");
        HttpResponse<String> relative = get(base + "/redirect/?next");
        assertThat(relative.headers().firstValue("Location")).hasValue("next");
    }

    @Test
    void podWithoutAPortInThePathIsReachedOnItsFirstContainerPort() throws Exception {
        pod("web", "127.0.0.1", podPort);
        HttpResponse<String> r = get("/api/v1/namespaces/default/pods/web/proxy/first");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("GET /first ");
    }

    @Test
    void aRefusedDialIs503AsKubeApiserverAnswersIt() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        pod("web", "127.0.0.1", null);
        HttpResponse<String> r = get("/api/v1/namespaces/default/pods/web:" + closed + "/proxy/");
        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode status = json(r);
        assertThat(status.path("reason").asText()).isEqualTo("ServiceUnavailable");
        assertThat(status.path("message").asText())
                .isEqualTo("error trying to reach service: dial tcp 127.0.0.1:" + closed + ": connect: connection refused");
    }

    @Test
    void podWithoutAnIpOrAnInvalidNameIs400() throws Exception {
        addPod("pending", Map.of(), "app");
        HttpResponse<String> r = get("/api/v1/namespaces/default/pods/pending/proxy/");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("message").asText()).isEqualTo("address not allowed");

        HttpResponse<String> bad = get("/api/v1/namespaces/default/pods/ftp:web:80/proxy/");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).path("message").asText()).isEqualTo("invalid pod request \"ftp:web:80\"");

        HttpResponse<String> missing = get("/api/v1/namespaces/default/pods/nope/proxy/");
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void serviceProxyPicksAReadyEndpointAddressByPortNumberOrName() throws Exception {
        registry.put(ResourceTypes.SERVICES, new ServiceBuilder().withNewMetadata().withName("web").withNamespace("default")
                .endMetadata().withNewSpec().addNewPort().withName("http").withPort(8080).endPort().endSpec().build());
        registry.put(ResourceTypes.ENDPOINTS, new EndpointsBuilder().withNewMetadata().withName("web")
                .withNamespace("default").endMetadata().addNewSubset()
                .addNewNotReadyAddress().withIp("127.0.0.2").endNotReadyAddress()
                .addNewAddress().withIp("127.0.0.1").endAddress()
                .addNewPort().withName("http").withPort(podPort).endPort().endSubset().build());

        HttpResponse<String> byNumber = get("/api/v1/namespaces/default/services/web:8080/proxy/svc?x=1");
        assertThat(byNumber.statusCode()).isEqualTo(200);
        assertThat(byNumber.body()).startsWith("GET /svc query=x=1 auth=null");
        HttpResponse<String> byName = get("/api/v1/namespaces/default/services/web:http/proxy/");
        assertThat(byName.body()).startsWith("GET / ");

        HttpResponse<String> noPort = get("/api/v1/namespaces/default/services/web:9999/proxy/");
        assertThat(noPort.statusCode()).isEqualTo(503);
        assertThat(json(noPort).path("message").asText()).isEqualTo("no service port 9999 found for service \"web\"");
        HttpResponse<String> unnamed = get("/api/v1/namespaces/default/services/web/proxy/");
        assertThat(unnamed.statusCode()).isEqualTo(503);
        assertThat(json(unnamed).path("message").asText()).isEqualTo("no endpoints available for service \"web\"");
    }

    @Test
    void serviceWithoutEndpointsIs503() throws Exception {
        registry.put(ResourceTypes.SERVICES, new ServiceBuilder().withNewMetadata().withName("db").withNamespace("default")
                .endMetadata().withNewSpec().addNewPort().withPort(5432).endPort().endSpec().build());
        registry.put(ResourceTypes.ENDPOINTS, new EndpointsBuilder().withNewMetadata().withName("db")
                .withNamespace("default").endMetadata().build());
        HttpResponse<String> r = get("/api/v1/namespaces/default/services/db:5432/proxy/");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json(r).path("reason").asText()).isEqualTo("ServiceUnavailable");
        assertThat(json(r).path("message").asText()).isEqualTo("no endpoints available for service \"db\"");
    }

    @Test
    void discoveryListsTheProxySubresources() throws Exception {
        JsonNode resources = json(get("/api/v1")).path("resources");
        assertThat(resources.findValuesAsText("name")).contains("pods/proxy", "services/proxy").doesNotContain("nodes/proxy");
        for (JsonNode r : resources) {
            if (r.path("name").asText().equals("pods/proxy")) {
                assertThat(r.path("kind").asText()).isEqualTo("PodProxyOptions");
            }
        }
    }
}
