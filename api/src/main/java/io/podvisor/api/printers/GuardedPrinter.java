package io.podvisor.api.printers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.printers.Tables.Column;
import io.podvisor.api.printers.Tables.RowCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A printer that never lets one object break a listing: when the kind's printer fails on an object
 * (a value stored before the API refused it, such as a timestamp that does not parse), that row
 * shows the object's name and {@code <unknown>} in every other cell, and no conditions, while the
 * other rows print as usual.
 */
final class GuardedPrinter implements KindPrinter {

    static final String UNKNOWN = "<unknown>";

    private final KindPrinter printer;

    GuardedPrinter(KindPrinter printer) {
        this.printer = printer;
    }

    @Override
    public List<Column> columns() {
        return printer.columns();
    }

    @Override
    public List<Object> cells(HasMetadata object, Instant now) {
        try {
            return printer.cells(object, now);
        } catch (RuntimeException e) {
            List<Object> cells = new ArrayList<>();
            for (Column c : columns()) {
                boolean name = c.format().equals("name") && object.getMetadata() != null
                        && object.getMetadata().getName() != null;
                cells.add(name ? object.getMetadata().getName() : UNKNOWN);
            }
            return cells;
        }
    }

    @Override
    public List<RowCondition> conditions(HasMetadata object) {
        try {
            return printer.conditions(object);
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
