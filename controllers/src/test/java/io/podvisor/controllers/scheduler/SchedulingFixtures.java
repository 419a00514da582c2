package io.podvisor.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.Yaml;

/** Nodes and pods for the scheduler tests. */
final class SchedulingFixtures {

    private SchedulingFixtures() {}

    static Node node(String cpu, String memory, int pods, String extraSpec) {
        return Yaml.read("""
                apiVersion: v1
                kind: Node
                metadata: {name: node-1, labels: {disk: ssd, kubernetes.io/hostname: node-1}}
                spec: %s
                status:
                  allocatable: {cpu: '%s', memory: %s, pods: '%d'}
                """.formatted(extraSpec, cpu, memory, pods), Node.class);
    }

    static Pod pod(String name, String cpu, String memory, String extraSpec) {
        return Yaml.read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: default}
                spec:
                  containers:
                  - name: app
                    image: nginx
                    resources: {requests: {cpu: '%s', memory: %s}}
                %s
                """.formatted(name, cpu, memory, extraSpec.indent(2).stripTrailing()), Pod.class);
    }
}
