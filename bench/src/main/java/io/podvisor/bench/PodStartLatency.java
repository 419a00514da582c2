package io.podvisor.bench;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.cli.server.NodeServer;
import io.podvisor.cli.server.Runtimes;
import io.podvisor.core.FileTrees;
import io.podvisor.core.SystemClock;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.image.HostBusybox;
import io.podvisor.runtime.image.ImageConfig;
import io.podvisor.runtime.image.OciImageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Pod start latency on the runc runtime, as upstream's pod startup SLO defines it: from the create
 * request to the moment a watch sees every container of the pod running. N pods of one busybox
 * container, created one after another (each after the previous one runs). Baseline in the same
 * run, the limit: a bare {@code runc run --detach} of a bundle over the same image root (start to
 * return, which is when runc has started the process), N times. The peer, {@code podman kube play},
 * is measured when {@code podman} is installed ({@link PodmanPlay}).
 *
 * <p>{@code bench/run pod-start [--pods N]} (default 200), as root with runc and a static busybox;
 * {@code bench/run} gives this JVM the launcher's JIT and collector flags (C1 only, G1), since the
 * node runs in it.
 */
final class PodStartLatency {

    private PodStartLatency() {}

    static int run(String[] args) throws Exception {
        int pods = Args.integer(args, "--pods", 200);
        if (Runtimes.runcUnavailableReason().isPresent() || !HostBusybox.available()) {
            System.err.println("pod-start: needs root, runc and a static /bin/busybox: "
                    + Runtimes.runcUnavailableReason().orElse("no static busybox"));
            return 2;
        }
        Path data = Files.createTempDirectory("bench-podstart-");
        Stats podvisor = new Stats();
        Stats bare = new Stats();
        java.util.Optional<Stats> podman;
        try {
            measurePodvisor(data.resolve("node"), pods, podvisor);
            Path rootfs = rootfs(data.resolve("node"));
            BareRunc.measure(data.resolve("bare"), rootfs, pods, bare);
            podman = PodmanPlay.measure(Math.min(pods, 50), rootfs);
        } finally {
            FileTrees.delete(data);
        }
        Report r = new Report("pod start latency: create -> all containers running (watch), runc, " + pods + " pods")
                .row("p50", podvisor.median(), bare.median(), "ms", "report", null)
                .row("p99", podvisor.percentile(99), bare.percentile(99), "ms", "p99 <= 2x bare runc run",
                        podvisor.percentile(99) <= 2 * bare.percentile(99))
                .note("podvisor: " + podvisor.summary("ms") + ", p99 " + Stats.fmt(podvisor.percentile(99)) + " ms")
                .note("baseline, bare runc run --detach of the same root: " + bare.summary("ms")
                        + ", p99 " + Stats.fmt(bare.percentile(99)) + " ms");
        podman.ifPresentOrElse(
                p -> r.row("p99 vs podman kube play", podvisor.percentile(99), p.percentile(99), "ms",
                        "p99 <= 0.5x podman", podvisor.percentile(99) <= 0.5 * p.percentile(99))
                        .note("peer, podman kube play: " + p.summary("ms") + ", p99 " + Stats.fmt(p.percentile(99)) + " ms"),
                () -> r.note("peer, podman kube play: not measured (podman is not installed)"));
        r.print(System.out);
        return 0;
    }

    private static Path rootfs(Path nodeData) throws Exception {
        OciImageStore store = new OciImageStore(Runtimes.imagesDir(nodeData));
        ImageConfig image = store.resolve(HostBusybox.REFERENCE);
        return image.rootfs();
    }

    private static void measurePodvisor(Path data, int pods, Stats latencies) throws Exception {
        SystemClock clock = new SystemClock();
        String name = "pvb" + ProcessHandle.current().pid() % 1000;
        ContainerRuntime runtime = Runtimes.create(new Runtimes.Choice("runc", name, "10.231.0.0/16"), data, clock);
        NodeServer server = NodeServer.start(new NodeServer.Options(data, 0, "127.0.0.1", "bench", null, pods + 10), clock,
                new VirtualThreadKeyedExecutor(), runtime);
        Map<String, CompletableFuture<Long>> running = new ConcurrentHashMap<>();
        ObjectClient client = server.registries();
        try (ObjectClient.Subscription watch = client.watch(Pod.class, "default", (type, pod) -> {
            CompletableFuture<Long> f = running.get(pod.getMetadata().getName());
            if (f != null && allRunning(pod)) {
                f.complete(System.nanoTime());
            }
        })) {
            for (int i = -5; i < pods; i++) { // five unmeasured warm-up pods
                String podName = "start-" + (i + 5);
                CompletableFuture<Long> done = new CompletableFuture<>();
                running.put(podName, done);
                long t0 = System.nanoTime();
                client.create(pod(podName));
                long t1 = done.get(60, TimeUnit.SECONDS);
                if (i >= 0) {
                    latencies.add((t1 - t0) / 1e6);
                }
            }
            for (String podName : running.keySet()) {
                client.delete(Pod.class, "default", podName, 0L);
            }
        } finally {
            server.close();
            clock.close();
        }
    }

    private static boolean allRunning(Pod pod) {
        List<ContainerStatus> statuses = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        return statuses != null && !statuses.isEmpty()
                && statuses.stream().allMatch(s -> s.getState() != null && s.getState().getRunning() != null);
    }

    private static Pod pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("app").withImage(HostBusybox.REFERENCE)
                .withCommand("sleep", "3600").endContainer().endSpec().build();
    }
}
