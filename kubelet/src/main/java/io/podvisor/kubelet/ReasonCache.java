package io.podvisor.kubelet;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The waiting reason of each container's last failed start attempt ({@code CrashLoopBackOff},
 * {@code RunContainerError}, {@code PostStartHookError}, …), shown as {@code state.waiting} while
 * the container waits to be restarted. Cleared by a successful start.
 */
public final class ReasonCache {

    /** A waiting reason and its message. */
    public record Entry(String reason, String message) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public void put(String podUid, String container, String reason, String message) {
        entries.put(podUid + "/" + container, new Entry(reason, message));
    }

    public Entry get(String podUid, String container) {
        return entries.get(podUid + "/" + container);
    }

    public void clear(String podUid, String container) {
        entries.remove(podUid + "/" + container);
    }

    public void forget(String podUid) {
        entries.keySet().removeIf(k -> k.startsWith(podUid + "/"));
    }
}
