package io.podvisor.api.printers;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.podvisor.api.LabelSelectors;

/**
 * A {@link LabelSelector} in a Table cell: {@link LabelSelectors#format}, with {@code <none>} for an
 * absent or empty selector and {@code <error>} for an unknown operator.
 */
final class Selectors {

    private Selectors() {}

    static String format(LabelSelector selector) {
        String text = LabelSelectors.format(selector);
        if (text == null) {
            return "<error>";
        }
        return text.isEmpty() ? Columns.NONE : text;
    }
}
