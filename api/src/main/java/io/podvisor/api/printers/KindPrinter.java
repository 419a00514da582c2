package io.podvisor.api.printers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.printers.Tables.Column;
import io.podvisor.api.printers.Tables.RowCondition;
import java.time.Instant;
import java.util.List;

/** The column set of one kind and the cells of one object of that kind. Implementations are stateless. */
interface KindPrinter {

    /** The column definitions, in upstream order; wide-only columns have priority 1. */
    List<Column> columns();

    /**
     * One row's cells, one per column (wide ones included, as the API server always sends them).
     *
     * @param object an object of this printer's kind
     * @param now the instant ages and durations are measured to
     */
    List<Object> cells(HasMetadata object, Instant now);

    /** Conditions of the row (e.g. a finished pod is {@code Completed}); empty for most kinds. */
    default List<RowCondition> conditions(HasMetadata object) {
        return List.of();
    }
}
