package io.podvisor.api.events;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Decides whether an event joins its similar group's aggregate (spec 11.5). Per group it remembers
 * the first {@code distinctBeforeCombining} distinct messages seen since the group (re)started and
 * the time of its latest occurrence. A message among the remembered ones is emitted as itself; a new
 * one while the set is full is combined. A group whose latest occurrence is more than the window ago
 * starts afresh. Not thread-safe: {@link EventRecorder} serialises access.
 */
final class SimilarEventAggregator {

    private static final class Group {
        final Set<String> messages = new HashSet<>();
        Instant last;
    }

    private final LruCache<EventKeys.SimilarKey, Group> groups;
    private final int distinctBeforeCombining;
    private final Duration window;

    SimilarEventAggregator(int cacheEntries, int distinctBeforeCombining, Duration window) {
        this.groups = new LruCache<>(cacheEntries);
        this.distinctBeforeCombining = distinctBeforeCombining;
        this.window = window;
    }

    /** Records one occurrence at {@code now}; true if it must go into the aggregate event. */
    boolean observe(EventKeys.SimilarKey key, String message, Instant now) {
        Group g = groups.get(key);
        if (g == null || Duration.between(g.last, now).compareTo(window) > 0) {
            g = new Group();
            groups.put(key, g);
        }
        g.last = now;
        if (g.messages.contains(message)) {
            return false;
        }
        if (g.messages.size() < distinctBeforeCombining) {
            g.messages.add(message);
            return false;
        }
        return true;
    }

    int size() {
        return groups.size();
    }
}
