package io.podvisor.kubelet.status;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.podvisor.api.Containers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec's containers (init and main, in spec order) together with their statuses, matched by
 * name. Init containers are looked up among the init statuses only, main containers among the
 * main statuses only. A container without an entry has an unknown status ({@code null} here).
 */
final class StatusIndex {

    private final List<Container> inits;
    private final List<Container> mains;
    private final Map<String, ContainerStatus> initStatuses;
    private final Map<String, ContainerStatus> mainStatuses;

    StatusIndex(PodSpec spec, List<ContainerStatus> initStatuses, List<ContainerStatus> mainStatuses) {
        this.inits = orEmpty(spec.getInitContainers());
        this.mains = orEmpty(spec.getContainers());
        this.initStatuses = byName(initStatuses);
        this.mainStatuses = byName(mainStatuses);
    }

    List<Container> inits() {
        return inits;
    }

    List<Container> mains() {
        return mains;
    }

    /** The sidecars (restartable init containers), in spec order. */
    List<Container> sidecars() {
        return inits.stream().filter(Containers::isSidecar).toList();
    }

    /** Status of an init container, or null when unknown. */
    ContainerStatus ofInit(Container c) {
        return initStatuses.get(c.getName());
    }

    /** Status of a main container, or null when unknown. */
    ContainerStatus ofMain(Container c) {
        return mainStatuses.get(c.getName());
    }

    /** Whether some main container is currently running or terminated. */
    boolean anyMainStarted() {
        return mains.stream().map(this::ofMain)
                .anyMatch(s -> s != null && ContainerStates.isRunningOrTerminated(s));
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, ContainerStatus> byName(List<ContainerStatus> statuses) {
        Map<String, ContainerStatus> out = new HashMap<>();
        for (ContainerStatus s : orEmpty(statuses)) {
            if (s != null && s.getName() != null) {
                out.putIfAbsent(s.getName(), s);
            }
        }
        return out;
    }
}
