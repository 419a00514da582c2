package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.apiserver.registry.Registry.ListOptions;
import io.podvisor.apiserver.registry.Registry.WatchEvent;
import io.podvisor.apiserver.registry.Registry.WatchHandle;
import io.podvisor.apiserver.select.Selection;
import io.podvisor.store.RevisionCompactedException;
import io.podvisor.store.Store;
import java.util.function.Consumer;

/**
 * Starts watches. Without a resourceVersion (or with "0") the current matches are listed at one
 * revision R and sent as synthetic ADDED events, synchronously on the caller's thread, before the
 * store watch starts after R; so nothing is missed or repeated. With a resourceVersion, only later
 * changes are sent; one older than the store's window is {@link ApiException.Gone} (thrown, not an
 * ERROR event: the HTTP front turns it into one).
 */
final class Watcher {

    private final Context ctx;

    Watcher(Context ctx) {
        this.ctx = ctx;
    }

    WatchHandle watch(ResourceType type, ListOptions options, Consumer<WatchEvent> sink) {
        Selection selection = Selection.parse(type.javaType(), options.labelSelector(), options.fieldSelector());
        String prefix = Keys.prefix(type, options.namespace());
        String rv = options.resourceVersion();
        boolean fromNow = rv == null || rv.isEmpty() || "0".equals(rv);
        Store.Page initial = fromNow ? ctx.store.list(prefix, null, 0) : null;
        long after = fromNow ? initial.revision() : parseRevision(rv);
        WatchSubscription sub = new WatchSubscription(type, selection, sink, ctx.codec, ctx.clock, after);
        if (initial != null) {
            for (Store.Entry e : initial.entries()) {
                HasMetadata o = ctx.codec.decode(type, e);
                if (selection.matches(o)) {
                    sub.emit("ADDED", o);
                }
            }
        }
        try {
            sub.attach(ctx.store.watch(prefix, after, sub::onStoreEvent));
        } catch (RevisionCompactedException e) {
            sub.close();
            throw new ApiException.Gone("too old resource version: " + after + " (" + ctx.store.oldestWatchableRevision() + ")");
        }
        if (options.allowBookmarks()) {
            sub.startBookmarks();
        }
        return sub;
    }

    private static long parseRevision(String rv) {
        try {
            long v = Long.parseLong(rv);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest("invalid resource version: " + rv);
        }
    }
}
