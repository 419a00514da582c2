package io.podvisor.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.apiserver.registry.Registries;
import io.podvisor.client.informers.ResourceEventHandler;
import io.podvisor.client.informers.SharedIndexInformer;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.core.SystemClock;
import io.podvisor.core.VirtualThreadKeyedExecutor;
import io.podvisor.store.MemoryStore;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watch fan-out in one process: {@code events} updates of one ConfigMap on the registries (memory
 * store), seen by {@code subscribers} in-process subscribers, each either a watch of its own on the
 * registries ({@link ObjectClient#watch}: every event handed to each) or a handler on one shared
 * informer (one watch, one cache, one object per event shared by all handlers). The baseline is the
 * same updates with nobody watching: the difference is what the subscribers cost per event.
 */
final class WatchFanOut {

    /** Microseconds per update until every subscriber saw the last: wall and process CPU (medians of three runs). */
    record Cost(double wallMicros, double cpuMicros) {}

    /** The three runs: nobody watching, a watch per subscriber, one informer with a handler per subscriber. */
    record Result(Cost alone, Cost watches, Cost informer, int subscribers, int events) {}

    private enum Mode { ALONE, WATCHES, INFORMER }

    private WatchFanOut() {}

    static Result measure(int subscribers, int events) throws Exception {
        // a first round warms the JIT up; the second is measured
        for (Mode m : Mode.values()) {
            run(m, subscribers, Math.max(200, events / 5));
        }
        return new Result(median(Mode.ALONE, subscribers, events), median(Mode.WATCHES, subscribers, events),
                median(Mode.INFORMER, subscribers, events), subscribers, events);
    }

    private static Cost median(Mode mode, int subscribers, int events) throws Exception {
        List<Cost> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(run(mode, subscribers, events));
        }
        runs.sort(java.util.Comparator.comparingDouble(Cost::wallMicros));
        Cost wall = runs.get(1);
        runs.sort(java.util.Comparator.comparingDouble(Cost::cpuMicros));
        return new Cost(wall.wallMicros(), runs.get(1).cpuMicros());
    }

    private static Cost run(Mode mode, int subscribers, int events) throws Exception {
        VirtualThreadKeyedExecutor executor = new VirtualThreadKeyedExecutor();
        SystemClock clock = new SystemClock();
        Registries registries = new Registries(new MemoryStore(executor), clock, executor);
        registries.start();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            ConfigMap cm = registries.create(new ConfigMapBuilder().withNewMetadata().withName("fan-out")
                    .withNamespace("default").endMetadata().withData(Map.of("n", "0")).build());
            CountDownLatch done = new CountDownLatch(mode == Mode.ALONE ? 0 : subscribers);
            String last = "n" + events;
            if (mode == Mode.WATCHES) {
                for (int i = 0; i < subscribers; i++) {
                    AtomicInteger seenLast = new AtomicInteger();
                    ObjectClient.Subscription s = registries.watch(ConfigMap.class, "default", (type, o) -> {
                        if (last.equals(o.getData().get("last")) && seenLast.getAndIncrement() == 0) {
                            done.countDown();
                        }
                    });
                    open.add(s::close);
                }
            } else if (mode == Mode.INFORMER) {
                SharedInformerFactory factory = new SharedInformerFactory(registries, clock, executor, Duration.ZERO);
                open.add(factory);
                SharedIndexInformer<ConfigMap> informer = factory.informerFor(ConfigMap.class, "default", null, null);
                for (int i = 0; i < subscribers; i++) {
                    AtomicInteger seenLast = new AtomicInteger();
                    informer.addEventHandler(new ResourceEventHandler<>() {
                        @Override
                        public void onUpdate(ConfigMap oldObject, ConfigMap newObject) {
                            if (last.equals(newObject.getData().get("last")) && seenLast.getAndIncrement() == 0) {
                                done.countDown();
                            }
                        }
                    });
                }
                factory.start();
                informer.synced().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (int i = 1; i <= events; i++) {
                cm.setData(Map.of("n", Integer.toString(i), "last", "n" + i));
                cm = registries.update(cm);
            }
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(mode + ": " + done.getCount() + " subscribers never saw the last update");
            }
            long wall = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            return new Cost(wall / 1e3 / events, cpu / 1e3 / events);
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
            registries.close();
            clock.close();
        }
    }
}
