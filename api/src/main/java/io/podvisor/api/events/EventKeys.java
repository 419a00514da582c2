package io.podvisor.api.events;

import io.fabric8.kubernetes.api.model.ObjectReference;

/**
 * Cache keys. The source (component + host) is fixed per {@link EventRecorder}, so it is implied by
 * the cache and left out of the keys. Records compare field by field, so no two different tuples can
 * collide the way joined strings can.
 */
final class EventKeys {

    private EventKeys() {}

    /** The involved object without fieldPath: the spam-filter key. */
    record ObjectKey(String apiVersion, String kind, String namespace, String name, String uid) {
        static ObjectKey of(ObjectReference ref) {
            return new ObjectKey(ref.getApiVersion(), ref.getKind(), ref.getNamespace(), ref.getName(),
                    ref.getUid());
        }
    }

    /** Events that differ at most in their message. {@code fieldPath} is null when not separating. */
    record SimilarKey(ObjectKey object, String fieldPath, String type, String reason) {}

    /**
     * One Event object: either one exact message ({@code combined == false}) or the aggregate of a
     * similar group ({@code combined == true}, {@code message == null}).
     */
    record DedupeKey(SimilarKey group, String fieldPath, String message, boolean combined) {
        static DedupeKey identical(SimilarKey group, String fieldPath, String message) {
            return new DedupeKey(group, fieldPath, message, false);
        }

        static DedupeKey aggregate(SimilarKey group) {
            return new DedupeKey(group, null, null, true);
        }
    }
}
