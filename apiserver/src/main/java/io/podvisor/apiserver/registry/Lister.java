package io.podvisor.apiserver.registry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.apiserver.registry.Registry.ListOptions;
import io.podvisor.apiserver.registry.Registry.ListResult;
import io.podvisor.apiserver.select.Selection;
import io.podvisor.store.Store;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists with selectors and paging. Items come in key order (namespace, then name). A page is read
 * at one store revision, which is the list's resourceVersion. A continued list is served from the
 * current state, after the token's last key; a token older than the store's history window is 410
 * Gone, as upstream answers a compacted continue. {@code remainingItemCount} is set only without
 * selectors.
 */
final class Lister {

    static final String CONTINUE_TOO_OLD = "The provided continue parameter is too old to display a consistent list "
            + "result. You can start a new list without the continue parameter, or use the continue token in this "
            + "response to retrieve the remainder of the results. Continuing with the provided token results in an "
            + "inconsistent list - objects that were created, modified, or deleted between the time the first chunk "
            + "was returned and now may show up in the list.";

    private final Context ctx;

    Lister(Context ctx) {
        this.ctx = ctx;
    }

    ListResult list(ResourceType type, ListOptions options) {
        Selection selection = Selection.parse(type.javaType(), options.labelSelector(), options.fieldSelector());
        String root = Keys.prefix(type);
        String prefix = Keys.prefix(type, options.namespace());
        String startAfter = null;
        if (options.continueToken() != null && !options.continueToken().isEmpty()) {
            ContinueTokens.Token token = ContinueTokens.decode(options.continueToken());
            if (token.revision() < ctx.store.oldestWatchableRevision()) {
                throw new ApiException.Gone(CONTINUE_TOO_OLD);
            }
            startAfter = root + token.lastKey();
        }
        Store.Page page = ctx.store.list(prefix, startAfter, 0);
        List<HasMetadata> items = new ArrayList<>();
        String lastKey = null;
        long remaining = 0;
        for (Store.Entry e : page.entries()) {
            HasMetadata o = ctx.codec.decode(type, e);
            if (!selection.matches(o)) {
                continue;
            }
            if (options.limit() > 0 && items.size() >= options.limit()) {
                remaining++;
            } else {
                items.add(o);
                lastKey = e.key();
            }
        }
        String next = remaining > 0 ? ContinueTokens.encode(page.revision(), lastKey.substring(root.length())) : null;
        Long count = remaining > 0 && selection.isEverything() ? remaining : null;
        return new ListResult(items, Long.toString(page.revision()), next, count);
    }
}
