package io.podvisor.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.Yaml;
import io.podvisor.api.patch.Patches;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A strategic merge patch of a pod as {@code kubectl apply} / {@code kubectl edit} send one: a
 * label, a container's image (containers merge by name, with {@code $setElementOrder}), an env
 * entry added and a port's name changed (merge keys {@code name} and {@code containerPort}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StrategicMergeBenchmark {

    static final String PATCH = """
            {"metadata":{"labels":{"tier":"backend","canary":null}},
             "spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],
                     "containers":[{"name":"app","image":"busybox:1.36",
                                    "$setElementOrder/env":[{"name":"MODE"},{"name":"LEVEL"}],
                                    "env":[{"name":"LEVEL","value":"debug"}],
                                    "ports":[{"containerPort":8080,"name":"web"}]}]}}
            """;

    private final ObjectMapper json = Yaml.newJsonMapper();
    private JsonNode pod;
    private JsonNode patch;

    @Setup
    public void setUp() throws IOException {
        pod = json.valueToTree(Fixtures.pod("web-0", false));
        patch = json.readTree(PATCH);
        JsonNode out = Patches.strategic(pod, patch, "v1", "Pod");
        if (!out.at("/spec/containers/0/image").asText().equals("busybox:1.36")
                || out.at("/spec/containers/0/env").size() != 2) {
            throw new IllegalStateException("the patch did not apply: " + out);
        }
    }

    /** The patch applied to the pod's JSON tree. */
    @Benchmark
    public JsonNode apply() {
        return Patches.strategic(pod, patch, "v1", "Pod");
    }

    /** The patch applied and the result decoded to a typed pod, as the server then validates it. */
    @Benchmark
    public Pod applyAndDecode() throws IOException {
        return json.treeToValue(Patches.strategic(pod, patch, "v1", "Pod"), Pod.class);
    }
}
