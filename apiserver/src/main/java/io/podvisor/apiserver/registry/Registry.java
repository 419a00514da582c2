package io.podvisor.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.patch.PatchType;
import io.podvisor.api.resources.ResourceType;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the HTTP front asks of the API's objects, for every served {@link ResourceType}. Failures
 * are {@link ApiException}s; a failed call writes nothing. Returned objects are copies with
 * {@code metadata.resourceVersion} set.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public interface Registry {

    /** Which part of an object a write addresses. */
    enum Part { MAIN, STATUS }

    /** {@code fieldValidation}: Strict rejects unknown fields (400), Warn reports them, Ignore drops them. */
    enum FieldValidation { STRICT, WARN, IGNORE }

    /**
     * The query of a list or watch.
     *
     * @param namespace null = all namespaces (or a cluster-scoped type)
     * @param resourceVersion the {@code resourceVersion} parameter, null when absent
     * @param limit {@code <= 0} = no limit
     * @param continueToken from a previous page, or null
     */
    record ListOptions(String namespace, String labelSelector, String fieldSelector, String resourceVersion,
            long limit, String continueToken, boolean allowBookmarks) {
        public static ListOptions all(String namespace) {
            return new ListOptions(namespace, null, null, null, 0, null, false);
        }
    }

    /** @param dryRun validate and compute but store nothing */
    record WriteOptions(boolean dryRun, String fieldManager, FieldValidation fieldValidation, boolean force) {
        public static final WriteOptions DEFAULT = new WriteOptions(false, null, FieldValidation.STRICT, false);
    }

    /** One page of a list: the items, the list resourceVersion and the continue token (null at the end). */
    record ListResult(List<HasMetadata> items, String resourceVersion, String continueToken, Long remainingItemCount) {}

    /**
     * The outcome of a write: the object as stored (or as it would be, for dry runs), whether it was
     * created, and warnings for the {@code Warning} header.
     */
    record WriteResult(HasMetadata object, boolean created, List<String> warnings) {}

    /**
     * The outcome of a delete: the object, and whether it is gone ({@code false} when it only got a
     * deletionTimestamp: a pod the kubelet must stop, or an object with finalizers).
     */
    record DeleteResult(HasMetadata object, boolean gone) {}

    /**
     * One watch event. {@code type} is ADDED, MODIFIED, DELETED, BOOKMARK or ERROR; {@code object}
     * is the object (for BOOKMARK an object of the kind carrying only its resourceVersion), or an
     * {@link io.fabric8.kubernetes.api.model.Status} for ERROR.
     */
    record WatchEvent(String type, Object object) {}

    /** A running watch; closing it ends delivery (idempotent). */
    interface WatchHandle extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Why the storage behind this registry cannot serve now, if it cannot (see
     * {@link io.podvisor.store.Store#healthProblem()}); the health checks report it.
     */
    /**
     * {@code pods/binding}: sets a pending pod's {@code spec.nodeName} and its {@code PodScheduled}
     * condition (Conflict when it is already bound or being deleted).
     */
    default io.fabric8.kubernetes.api.model.Pod bind(String namespace, String name, String nodeName) {
        throw new ApiException.MethodNotAllowed("the server does not allow this method on the requested resource");
    }

    default java.util.Optional<String> storageProblem() {
        return java.util.Optional.empty();
    }

    HasMetadata get(ResourceType type, String namespace, String name);

    ListResult list(ResourceType type, ListOptions options);

    /** Creates from a request body (JSON tree as sent; namespace from the URL wins over an empty one, a mismatch is 400). */
    WriteResult create(ResourceType type, String namespace, JsonNode body, WriteOptions options);

    /** Replaces the object or its status from a request body (PUT). */
    WriteResult update(ResourceType type, String namespace, String name, JsonNode body, WriteOptions options, Part part);

    /** PATCH; for {@link PatchType#APPLY} a missing object is created ({@code created} true). */
    WriteResult patch(ResourceType type, String namespace, String name, PatchType patchType, byte[] body,
            WriteOptions options, Part part);

    /** DELETE with the request's options (may be null). */
    DeleteResult delete(ResourceType type, String namespace, String name, DeleteOptions options);

    /**
     * Watches per kubectl-wire §6.2: from {@code options.resourceVersion} (null or "0" → a
     * synthetic ADDED for each current match first), applying both selectors. Events go to
     * {@code sink} in order on a delivery thread.
     *
     * @throws ApiException.Gone when the resourceVersion is older than the history window
     */
    WatchHandle watch(ResourceType type, ListOptions options, Consumer<WatchEvent> sink);
}
