package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.errors.FieldError;
import java.util.List;

/**
 * Validation of a defaulted object, per kind, with upstream's messages and field paths (spec §13):
 * object metadata (names, labels, annotations), pods, jobs, services, config maps, secrets,
 * namespaces, events. On update, {@code old} is the stored object and immutability rules apply
 * (e.g. {@code spec: Forbidden: pod updates may not change fields other than …}).
 */
public final class Validation {

    private Validation() {}

    /**
     * @param object the defaulted object to validate
     * @param old the stored object on update, null on create
     * @return the errors in upstream's order, empty when valid
     */
    public static List<FieldError> validate(HasMetadata object, HasMetadata old) {
        return List.of();
    }
}
