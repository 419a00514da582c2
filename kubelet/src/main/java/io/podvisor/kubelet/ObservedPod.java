package io.podvisor.kubelet;

import io.podvisor.runtime.ContainerInfo;
import io.podvisor.runtime.ContainerState;
import io.podvisor.runtime.SandboxInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the runtime holds for one pod at one moment: its sandboxes and every container instance.
 * Instances of one container are ordered newest first by their restart count.
 */
public record ObservedPod(List<SandboxInfo> sandboxes, List<ContainerInfo> containers) {

    public static final ObservedPod EMPTY = new ObservedPod(List.of(), List.of());

    public ObservedPod {
        sandboxes = sandboxes.stream().sorted(Comparator.comparing(SandboxInfo::createdAt).reversed()).toList();
        containers = List.copyOf(containers);
    }

    /** The newest sandbox if it is ready. */
    public Optional<SandboxInfo> readySandbox() {
        return sandboxes.isEmpty() || !sandboxes.getFirst().ready() ? Optional.empty() : Optional.of(sandboxes.getFirst());
    }

    /** Instances of container {@code name}, newest first. */
    public List<ContainerInfo> instances(String name) {
        return containers.stream()
                .filter(c -> name.equals(c.labels().get(Labels.CONTAINER_NAME)))
                .sorted(Comparator.comparingInt(ObservedPod::restartCount).reversed()
                        .thenComparing(ContainerInfo::createdAt, Comparator.reverseOrder()))
                .toList();
    }

    /** The newest instance of {@code name}, or null. */
    public ContainerInfo newest(String name) {
        List<ContainerInfo> all = instances(name);
        return all.isEmpty() ? null : all.getFirst();
    }

    /** The second newest instance of {@code name}, or null. */
    public ContainerInfo previous(String name) {
        List<ContainerInfo> all = instances(name);
        return all.size() < 2 ? null : all.get(1);
    }

    /** All instances still running, of any container. */
    public List<ContainerInfo> running() {
        return containers.stream().filter(c -> c.state() == ContainerState.RUNNING).toList();
    }

    /** What a relist compares of a sandbox: its id and readiness. */
    static String fingerprint(SandboxInfo s) {
        return "sandbox " + s.id() + " " + s.ready();
    }

    /** What a relist compares of a container instance: its id and state. */
    static String fingerprint(ContainerInfo c) {
        return "container " + c.id() + " " + c.state();
    }

    /** Whether a fingerprint is of an exited container instance. */
    static boolean isExit(String fingerprint) {
        return fingerprint.startsWith("container ") && fingerprint.endsWith(" " + ContainerState.EXITED);
    }

    /** The fingerprints of everything observed (see {@link #fingerprint(SandboxInfo)}). */
    java.util.Set<String> fingerprints() {
        java.util.Set<String> all = new java.util.HashSet<>();
        sandboxes.forEach(s -> all.add(fingerprint(s)));
        containers.forEach(c -> all.add(fingerprint(c)));
        return all;
    }

    public static int restartCount(ContainerInfo c) {
        String v = c.annotations().get(Labels.RESTART_COUNT);
        return v == null ? c.attempt() : Integer.parseInt(v);
    }
}
