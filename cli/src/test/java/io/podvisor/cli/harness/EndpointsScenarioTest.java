package io.podvisor.cli.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.runtime.fake.ContainerScript;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Service in front of a pod with a readiness probe: the kubelet's probe result travels through
 * the pod's Ready condition to the Endpoints and EndpointSlice the controller maintains.
 */
class EndpointsScenarioTest {

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              selector:
                app: web
              ports:
              - port: 80
                targetPort: 8080
            """;

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-1
              labels:
                app: web
            spec:
              containers:
              - name: app
                image: nginx
                ports:
                - containerPort: 8080
                readinessProbe:
                  %s
                  periodSeconds: 2
            """;

    private final ClusterHarness h = new ClusterHarness();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void httpProbeMovesThePodFromNotReadyAddressesToAddresses() {
        h.script("app", ContainerScript.runForever()
                .http(8080, (path, t) -> "/healthz".equals(path) && t.compareTo(Duration.ofSeconds(7)) >= 0 ? 200 : 503));
        h.apply(SERVICE);
        h.apply(POD.formatted("httpGet: {path: /healthz, port: 8080}"));
        String ip = h.pod("web-1").getStatus().getPodIP();
        assertThat(ip).isNotBlank();

        h.advanceSeconds(5);
        assertThat(h.kubectlGet("pods")).containsExactly("web-1 0/1 Running 0 5s");
        assertThat(addresses()).containsExactly("notReady " + ip + " web-1");
        // only ready addresses are printed: the ENDPOINTS cell is empty
        assertThat(h.kubectlGet("endpoints")).containsExactly("web 5s");
        assertThat(sliceConditions()).containsExactly(ip + " ready=false serving=false terminating=false");

        h.advanceSeconds(5);
        assertThat(h.kubectlGet("pods")).containsExactly("web-1 1/1 Running 0 10s");
        assertThat(addresses()).containsExactly("ready " + ip + " web-1");
        assertThat(h.kubectlGet("endpoints")).containsExactly("web " + ip + ":8080 10s");
        assertThat(sliceConditions()).containsExactly(ip + " ready=true serving=true terminating=false");
    }

    @Test
    void tcpProbeFailingAgainTakesThePodOutOfAddresses() {
        h.script("app", ContainerScript.runForever().tcp(8080,
                t -> t.compareTo(Duration.ofSeconds(3)) >= 0 && t.compareTo(Duration.ofSeconds(20)) < 0));
        h.apply(SERVICE);
        h.apply(POD.formatted("tcpSocket: {port: 8080}"));
        String ip = h.pod("web-1").getStatus().getPodIP();

        h.advanceSeconds(10);
        assertThat(addresses()).containsExactly("ready " + ip + " web-1");

        h.advanceSeconds(20);
        assertThat(h.kubectlGet("pods")).containsExactly("web-1 0/1 Running 0 30s");
        assertThat(addresses()).containsExactly("notReady " + ip + " web-1");
    }

    @Test
    void deletedPodLeavesTheEndpoints() {
        h.script("app", ContainerScript.runForever().http(8080, (path, t) -> 200));
        h.apply(SERVICE);
        h.apply(POD.formatted("httpGet: {path: /, port: 8080}"));
        h.advanceSeconds(3);
        assertThat(addresses()).hasSize(1);

        h.delete(ResourceTypes.PODS, "web-1");
        h.advanceSeconds(1);
        assertThat(h.pod("web-1")).isNull();
        assertThat(addresses()).isEmpty();
        assertThat(h.kubectlGet("endpoints")).containsExactly("web <none> 4s");
    }

    /** Each address of the {@code web} Endpoints as {@code "ready|notReady <ip> <pod>"}. */
    private List<String> addresses() {
        Endpoints ep = (Endpoints) h.get(ResourceTypes.ENDPOINTS, "default", "web");
        return ep.getSubsets().stream().flatMap((EndpointSubset s) -> Stream.concat(
                s.getAddresses().stream().map(a -> line("ready", a)),
                s.getNotReadyAddresses().stream().map(a -> line("notReady", a)))).toList();
    }

    private static String line(String kind, EndpointAddress a) {
        return kind + " " + a.getIp() + " " + a.getTargetRef().getName();
    }

    private List<String> sliceConditions() {
        return h.api().list(EndpointSlice.class, "default", "kubernetes.io/service-name=web", null).stream()
                .flatMap(s -> s.getEndpoints().stream())
                .map(e -> e.getAddresses().getFirst() + " ready=" + e.getConditions().getReady()
                        + " serving=" + e.getConditions().getServing()
                        + " terminating=" + e.getConditions().getTerminating())
                .toList();
    }
}
