package io.podvisor.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;

class ControllersTest {

    private static final String JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: %s, namespace: default}
            spec:
              template:
                metadata: {labels: {app: batch}}
                spec:
                  restartPolicy: Never
                  containers: [{name: main, image: busybox}]
            """;

    @Test
    void startsAllFourTogetherAndStopsThem() {
        TestCluster c = new TestCluster();
        c.apply("""
                apiVersion: v1
                kind: Node
                metadata: {name: node-1}
                status: {allocatable: {cpu: '2', memory: 2Gi, pods: '110'}}
                """, Node.class);
        Controllers controllers = new Controllers(c.api, c.clock, c.executor, c.events, "node-1", c.random);
        controllers.start();
        c.apply("""
                apiVersion: v1
                kind: Service
                metadata: {name: batch, namespace: default}
                spec: {selector: {app: batch}, ports: [{port: 80}]}
                """, Service.class);
        c.apply(JOB.formatted("one"), Job.class);

        String pod = c.podNames().getFirst();
        assertThat(c.pod(pod).getSpec().getNodeName()).as("scheduled").isEqualTo("node-1");
        c.run(pod, null, "10.0.0.7", true);
        assertThat(c.api.get(Endpoints.class, "default", "batch").getSubsets().getFirst().getAddresses().getFirst().getIp())
                .isEqualTo("10.0.0.7");
        c.finish(pod, "Succeeded");
        assertThat(c.api.get(Job.class, "default", "one").getStatus().getSucceeded()).isEqualTo(1);

        controllers.stop();
        c.apply(JOB.formatted("two"), Job.class);
        c.advance(600);
        assertThat(c.podNames()).containsExactly(pod);
    }
}
