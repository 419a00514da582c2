package io.podvisor.api.resources;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * One served resource: where it lives in the API ({@code group}/{@code version}/{@code plural}),
 * what it is ({@code kind}, its fabric8 model class) and how discovery advertises it.
 *
 * @param group the API group, {@code ""} for the core group
 * @param subresources the subresources served, e.g. {@code status}, {@code log}, {@code exec}
 */
public record ResourceType(
        String group,
        String version,
        String plural,
        String singular,
        String kind,
        boolean namespaced,
        List<String> shortNames,
        List<String> categories,
        List<String> subresources,
        Class<? extends HasMetadata> javaType) {

    public ResourceType {
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
        subresources = List.copyOf(subresources);
    }

    /** {@code v1} for the core group, {@code batch/v1} otherwise. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The list kind, e.g. {@code PodList}. */
    public String listKind() {
        return kind + "List";
    }

    /** {@code pods} or {@code jobs.batch}: how upstream names the resource in messages. */
    public String qualifiedName() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    public boolean hasSubresource(String name) {
        return subresources.contains(name);
    }
}
