package io.podvisor.client.informers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.client.ObjectClient.Listing;
import io.podvisor.api.client.ObjectClient.Subscription;
import io.podvisor.api.client.ObjectClient.WatchHandler;
import io.podvisor.api.errors.ApiException;

/** What an informer lists and watches: one type, one namespace (or all), one selection. */
public interface ListWatch<T extends HasMetadata> {

    /** The current matches and the resourceVersion they were read at. */
    Listing<T> list();

    /**
     * Watches changes after {@code resourceVersion}.
     *
     * @throws ApiException.Gone when that revision left the watch history
     */
    Subscription watch(String resourceVersion, WatchHandler<T> handler);

    /** Lists and watches through {@code client} ({@link ObjectClient#listWithVersion}, {@link ObjectClient#watchFrom}). */
    static <T extends HasMetadata> ListWatch<T> of(ObjectClient client, Class<T> type, String namespace,
            String labelSelector, String fieldSelector) {
        return new ListWatch<>() {
            @Override
            public Listing<T> list() {
                return client.listWithVersion(type, namespace, labelSelector, fieldSelector);
            }

            @Override
            public Subscription watch(String resourceVersion, WatchHandler<T> handler) {
                return client.watchFrom(type, namespace, labelSelector, fieldSelector, resourceVersion, handler);
            }
        };
    }
}
