package io.podvisor.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Queue keys of objects: {@code <namespace>/<name>}, or {@code <name>} for cluster-scoped ones. */
public final class ObjectKeys {

    private ObjectKeys() {}

    /** The key of {@code object}. */
    public static String of(HasMetadata object) {
        return of(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /** The key of {@code namespace}/{@code name}; a null or empty namespace gives just the name. */
    public static String of(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** The namespace part of a key (null for a cluster-scoped key). */
    public static String namespace(String key) {
        int i = key.indexOf('/');
        return i < 0 ? null : key.substring(0, i);
    }

    /** The name part of a key. */
    public static String name(String key) {
        return key.substring(key.indexOf('/') + 1);
    }
}
