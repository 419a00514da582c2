package io.podvisor.apiserver.select;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * A label selector and a field selector together, for one kind. Immutable.
 *
 * @param labels the label selector
 * @param fields the field selector
 */
public record Selection(LabelSelector labels, FieldSelector fields) {

    /**
     * Parses both selectors for objects of {@code type}.
     *
     * @throws io.podvisor.api.errors.ApiException.BadRequest when either is invalid
     */
    public static Selection parse(Class<? extends HasMetadata> type, String labelSelector, String fieldSelector) {
        return new Selection(LabelSelector.parse(labelSelector),
                FieldSelector.parse(fieldSelector, SelectableFields.supported(type)));
    }

    public static Selection everything() {
        return new Selection(LabelSelector.everything(), FieldSelector.everything());
    }

    public boolean isEverything() {
        return labels.isEverything() && fields.isEverything();
    }

    /** Whether the object matches both selectors; null never matches. */
    public boolean matches(HasMetadata object) {
        if (object == null) {
            return false;
        }
        return labels.matches(object.getMetadata().getLabels())
                && (fields.isEverything() || fields.matches(SelectableFields.of(object)));
    }
}
