package io.podvisor.bench;

import io.podvisor.runtime.image.HostBusybox;
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
        if (!onPath("podman")) {
            return Optional.empty();
        }
        Stats out = new Stats();
        Path dir = Files.createTempDirectory("bench-podman-");
        try {
            BareRunc.run(List.of("sh", "-c", "tar -C '" + rootfs + "' -cf - . | podman --runtime runc import - " + HostBusybox.REFERENCE));
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
                BareRunc.run(List.of("podman", "--runtime", "runc", "kube", "play", yaml.toString()));
                if (i >= 0) {
                    out.add((System.nanoTime() - t0) / 1e6);
                }
                BareRunc.run(List.of("podman", "--runtime", "runc", "kube", "down", yaml.toString()));
            }
        } finally {
            io.podvisor.core.FileTrees.delete(dir);
        }
        return Optional.of(out);
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        for (String d : (path == null ? "" : path).split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
