package io.podvisor.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.client.informers.Indexers;
import io.podvisor.client.informers.Lister;
import io.podvisor.core.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A controller's own writes that its informer caches have not shown yet, per queue key (the owner:
 * a Job, a Service): the role of upstream's controller expectations, kept per object. A sync whose
 * key has writes pending does nothing, since its cache may lack them (it would create a pod twice,
 * or count a pod twice); the handler that sees the last of them gets that deferred key back from
 * {@link #observe} to queue it again.
 *
 * <p>A write is shown when the cache holds the version the write returned or a later one, or (for a delete) the
 * object with a deletionTimestamp, gone, or replaced by one with another UID; handlers report every
 * version they see, so a write the cache went past is seen too. An expectation older than
 * {@link #TIMEOUT} (upstream's) is dropped: a missed version (a re-list after 410 that found the
 * object already changed again) delays its key, never blocks it.
 *
 * <p>Thread-safety: safe for concurrent use (one monitor).
 */
public final class Expectations {

    /** Upstream's ExpectationsTimeout. */
    public static final Duration TIMEOUT = Duration.ofMinutes(5);

    /** One pending write: its owner key, the object's UID, the version written (null: a delete), and when. */
    private record Expected(String owner, String uid, String resourceVersion, Instant since) {

        boolean metBy(HasMetadata seen, boolean gone) {
            boolean same = Objects.equals(uid, seen.getMetadata().getUid());
            if (resourceVersion == null) {
                return gone || !same || seen.getMetadata().getDeletionTimestamp() != null;
            }
            return same && (gone || atLeast(seen.getMetadata().getResourceVersion(), resourceVersion));
        }

        /**
         * Whether {@code seen} is the version written or a later one. The store's versions are
         * revisions, increasing with every write, so a cache that already went past the version
         * written (another writer changed the object before this expectation was recorded) shows it
         * too; a version that is no number is compared as it is.
         */
        private static boolean atLeast(String seen, String written) {
            if (written.equals(seen)) {
                return true;
            }
            try {
                return seen != null && Long.parseLong(seen) >= Long.parseLong(written);
            } catch (NumberFormatException e) {
                return false;
            }
        }
    }

    private final Clock clock;
    private final Map<String, Expected> byObject = new HashMap<>();
    private final Map<String, Set<String>> byOwner = new HashMap<>();
    private final Set<String> deferred = new HashSet<>();

    public Expectations(Clock clock) {
        this.clock = clock;
    }

    /** After a create or update returned {@code written}: {@code owner} waits until {@code cache} shows that version. */
    public <T extends HasMetadata> void expectVersion(String owner, T written, Lister<T> cache) {
        expect(owner, written, written.getMetadata().getResourceVersion(), cache);
    }

    /** After a delete of {@code object}: {@code owner} waits until {@code cache} shows it deleting or gone. */
    public <T extends HasMetadata> void expectDeletion(String owner, T object, Lister<T> cache) {
        expect(owner, object, null, cache);
    }

    private synchronized <T extends HasMetadata> void expect(String owner, T object, String resourceVersion,
            Lister<T> cache) {
        String ref = ref(object);
        Expected e = new Expected(owner, object.getMetadata().getUid(), resourceVersion, clock.now());
        T cached = cache.getByKey(Indexers.key(object));
        boolean shown;
        if (cached != null) {
            shown = e.metBy(cached, false);
        } else if (resourceVersion == null) {
            // a deleted object the cache no longer holds is shown gone, unless its creation is still pending
            shown = !byObject.containsKey(ref);
        } else {
            // a write to an object being deleted (the last finalizer taken off) that the cache no longer
            // holds: it went already, and the event of its going passed before this was recorded
            shown = object.getMetadata().getDeletionTimestamp() != null;
        }
        if (shown) {
            remove(ref);
            return;
        }
        remove(ref);
        byObject.put(ref, e);
        byOwner.computeIfAbsent(owner, k -> new HashSet<>()).add(ref);
    }

    /**
     * From an informer handler: the cache now holds {@code object} ({@code gone}: it left the cache).
     *
     * @return the owner key whose last pending write this showed, to be queued again; null otherwise
     */
    public synchronized String observe(HasMetadata object, boolean gone) {
        String ref = ref(object);
        Expected e = byObject.get(ref);
        if (e == null || !e.metBy(object, gone)) {
            return null;
        }
        remove(ref);
        return !byOwner.containsKey(e.owner()) && deferred.remove(e.owner()) ? e.owner() : null;
    }

    /**
     * Whether {@code owner} has no write pending (expired ones are dropped); when it has, the owner
     * is deferred: {@link #observe} hands it back once the last of them is shown.
     */
    public synchronized boolean satisfied(String owner) {
        boolean none = pendingNone(owner);
        if (none) {
            deferred.remove(owner);
        } else {
            deferred.add(owner);
        }
        return none;
    }

    private boolean pendingNone(String owner) {
        Set<String> refs = byOwner.get(owner);
        if (refs == null) {
            return true;
        }
        Instant expired = clock.now().minus(TIMEOUT);
        for (String ref : Set.copyOf(refs)) {
            if (!byObject.get(ref).since().isAfter(expired)) {
                remove(ref);
            }
        }
        return !byOwner.containsKey(owner);
    }

    /** How long until the oldest pending write of {@code owner} expires (zero if none is pending). */
    public synchronized Duration untilExpiry(String owner) {
        Set<String> refs = byOwner.getOrDefault(owner, Set.of());
        Instant now = clock.now();
        return refs.stream().map(r -> Duration.between(now, byObject.get(r).since().plus(TIMEOUT)))
                .min(Duration::compareTo).filter(Duration::isPositive).orElse(Duration.ZERO);
    }

    private void remove(String ref) {
        Expected e = byObject.remove(ref);
        if (e == null) {
            return;
        }
        Set<String> refs = byOwner.get(e.owner());
        if (refs != null && refs.remove(ref) && refs.isEmpty()) {
            byOwner.remove(e.owner());
        }
    }

    private static String ref(HasMetadata object) {
        return object.getClass().getName() + " " + Indexers.key(object);
    }
}
