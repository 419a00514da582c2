package io.podvisor.bench.jmh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.Yaml;
import io.podvisor.api.printers.Tables;
import io.podvisor.api.resources.ResourceTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Server-side printing of {@code kubectl get pods}: the {@code meta.k8s.io/v1} Table of a list of
 * {@code pods} pods with PartialObjectMetadata rows (what kubectl asks for), as a JSON tree and as
 * the bytes the server writes. Every fifth pod is crash-looping.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PodTableBenchmark {

    @Param({"100"})
    public int pods;

    private List<Pod> list;
    private final ObjectMapper json = Yaml.newJsonMapper();

    @Setup
    public void setUp() {
        list = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            list.add(Fixtures.pod("web-" + i, i % 5 == 4));
        }
    }

    /** The Table as a JSON tree. */
    @Benchmark
    public ObjectNode table() {
        return Tables.table(ResourceTypes.PODS, list, Fixtures.NOW, "1234", Tables.IncludeObject.METADATA);
    }

    /** The Table serialized, as the response body. */
    @Benchmark
    public byte[] tableBytes() throws JsonProcessingException {
        return json.writeValueAsBytes(Tables.table(ResourceTypes.PODS, list, Fixtures.NOW, "1234",
                Tables.IncludeObject.METADATA));
    }
}
