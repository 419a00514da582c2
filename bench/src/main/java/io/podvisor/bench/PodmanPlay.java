package io.podvisor.bench;

import io.podvisor.runtime.image.HostBusybox;
import io.podvisor.runtime.linux.HostCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The peer for pod start latency: {@code podman kube play} of the same one-container pod, timed
 * from start to return (podman returns once the pod's containers are started); each pod removed
 * afterwards with {@code podman kube down}; podman runs its containers with runc, as podvisor does.
 * Measured only where {@code podman} is on the PATH; the image {@code localhost/busybox:host} is
 * imported into it from the same root first.
 */
final class PodmanPlay {

    private PodmanPlay() {}

    static Optional<Stats> measure(int runs, Path rootfs) throws Exception {
        if (!HostCommand.onPath("podman")) {
            return Optional.empty();
        }
        Stats out = new Stats();
        Path dir = Files.createTempDirectory("bench-podman-");
        // podman's default ulimits (nofile 1048576) exceed this machine's hard limits: use the
        // limits this process has, as podvisor's containers inherit them
        Path conf = dir.resolve("containers.conf");
        Files.writeString(conf, """
                [containers]
                default_ulimits = ["nofile=%1$s:%1$s", "nproc=%2$s:%2$s"]
                [engine]
                runtime = "runc"
                cgroup_manager = "cgroupfs"
                """.formatted(limit("-Hn"), limit("-Hu")));
        java.util.Map<String, String> env = java.util.Map.of("CONTAINERS_CONF", conf.toString());
        try {
            BareRunc.run(List.of("sh", "-c", "tar -C '" + rootfs + "' -cf - . | podman import --change 'ENV " + HostBusybox.PATH + "' - " + HostBusybox.REFERENCE), env);
            for (int i = -2; i < runs; i++) {
                Path yaml = dir.resolve("pod-" + (i + 2) + ".yaml");
                Files.writeString(yaml, """
                        apiVersion: v1
                        kind: Pod
                        metadata: {name: bench-play-%d}
                        spec:
                          containers:
                          - name: app
                            image: localhost/busybox:host
                            command: ["sleep", "3600"]
                        """.formatted(i + 2));
                long t0 = System.nanoTime();
                try {
                    BareRunc.run(List.of("podman", "kube", "play", yaml.toString()), env);
                    if (i >= 0) {
                        out.add((System.nanoTime() - t0) / 1e6);
                    }
                } finally {
                    BareRunc.run(List.of("podman", "kube", "down", yaml.toString()), env);
                }
            }
        } finally {
            io.podvisor.core.FileTrees.delete(dir);
        }
        return Optional.of(out);
    }

    /** This shell's hard limit for {@code ulimit FLAG}. */
    private static String limit(String flag) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "ulimit " + flag).start();
        String v = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return v.matches("\\d+") ? v : "1024";
    }
}
