package io.podvisor.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Optional;

/** Owner references and object references as the controllers write them. */
public final class Owners {

    private Owners() {}

    /** A controller reference to {@code owner}: {@code controller: true, blockOwnerDeletion: true}. */
    public static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    /** The owner reference of {@code object} marked {@code controller: true}, if any. */
    public static Optional<OwnerReference> controllerOf(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        if (refs == null) {
            return Optional.empty();
        }
        return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
    }

    /** Whether {@code object}'s controller is the object with {@code uid}. */
    public static boolean isControlledBy(HasMetadata object, String uid) {
        return controllerOf(object).map(r -> uid.equals(r.getUid())).orElse(false);
    }

    /** An involved-object reference (kind, apiVersion, namespace, name, uid) for events. */
    public static ObjectReference reference(HasMetadata object) {
        return new ObjectReferenceBuilder().withKind(object.getKind()).withApiVersion(object.getApiVersion())
                .withNamespace(object.getMetadata().getNamespace()).withName(object.getMetadata().getName())
                .withUid(object.getMetadata().getUid()).build();
    }
}
