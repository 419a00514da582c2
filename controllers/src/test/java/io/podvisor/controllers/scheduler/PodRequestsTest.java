package io.podvisor.controllers.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.Yaml;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodRequestsTest {

    private static String c(String name, String cpu, String extra) {
        return "{name: " + name + ", image: x" + extra + ", resources: {requests: {cpu: '" + cpu + "'}}}";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "main only                     | []                                                    | 100m,200m | 0.3",
            "init larger than mains        | [{name: i, image: x, resources: {requests: {cpu: '1'}}}] | 100m,200m | 1",
            "sidecar adds to mains         | [SIDE:500m]                                          | 100m,200m | 0.8",
            "init after sidecar            | [SIDE:500m, {name: i, image: x, resources: {requests: {cpu: '700m'}}}] | 100m | 1.2",
            "init before sidecar           | [{name: i, image: x, resources: {requests: {cpu: '900m'}}}, SIDE:500m] | 100m | 0.9",
            "limit stands in for request   | []                                                    | LIMIT:2   | 2",
    })
    void effectiveCpuRequest(String name, String inits, String mains, String expected) {
        String initYaml = inits.trim().replaceAll("SIDE:([0-9m]+)", c("side", "$1", ", restartPolicy: Always"));
        StringBuilder mainYaml = new StringBuilder("[");
        int i = 0;
        for (String m : mains.trim().split(",")) {
            mainYaml.append(i > 0 ? "," : "");
            if (m.startsWith("LIMIT:")) {
                mainYaml.append("{name: m").append(i).append(", image: x, resources: {limits: {cpu: '")
                        .append(m.substring(6)).append("'}}}");
            } else {
                mainYaml.append(c("m" + i, m, ""));
            }
            i++;
        }
        mainYaml.append("]");
        Pod pod = Yaml.read("{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {initContainers: " + initYaml
                + ", containers: " + mainYaml + "}}", Pod.class);
        assertThat(PodRequests.effective(pod).get("cpu")).isEqualByComparingTo(new BigDecimal(expected));
    }
}
