package io.podvisor.api.printers;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.podvisor.api.Times;
import io.podvisor.api.printers.Tables.Column;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Building blocks shared by the kind printers: the Name and Age columns every table has, column
 * factories, and the small cell formats upstream reuses ({@code <none>}, label maps, container
 * name and image lists).
 */
final class Columns {

    static final String NONE = "<none>";
    static final String UNKNOWN = "<unknown>";

    static final String NAME_DOC = "Name must be unique within a namespace. Is required when creating resources, "
            + "although some resources may allow a client to request the generation of an appropriate name "
            + "automatically. Name is primarily intended for creation idempotence and configuration definition. "
            + "Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
    static final String AGE_DOC = "CreationTimestamp is a timestamp representing the server time when this object "
            + "was created. It is not guaranteed to be set in happens-before order across separate operations. "
            + "Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\n"
            + "Populated by the system. Read-only. Null for lists. More info: "
            + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
    static final String CONTAINERS_DOC = "Names of each container in the template.";
    static final String IMAGES_DOC = "Images referenced by each container in the template.";

    private static final ObjectMapper CONVERTER = io.podvisor.api.Yaml.newJsonMapper();

    private Columns() {}

    /** The name column: {@code type: string, format: name}. */
    static Column name() {
        return new Column("Name", "string", "name", NAME_DOC, 0);
    }

    /** The Age column (a human duration since {@code creationTimestamp}). */
    static Column age() {
        return column("Age", AGE_DOC);
    }

    /** A string column shown by default. */
    static Column column(String name, String description) {
        return new Column(name, "string", "", description, 0);
    }

    /** A string column shown only with {@code -o wide} (priority 1). */
    static Column wide(String name, String description) {
        return new Column(name, "string", "", description, 1);
    }

    /** {@code metadata.name}, or the empty string. */
    static String name(HasMetadata o) {
        ObjectMeta m = o.getMetadata();
        return m == null || m.getName() == null ? "" : m.getName();
    }

    /** Time since {@code metadata.creationTimestamp}, {@code <unknown>} when absent. */
    static String age(HasMetadata o, Instant now) {
        ObjectMeta m = o.getMetadata();
        return PodColumns.since(m == null ? null : Times.parse(m.getCreationTimestamp()), now);
    }

    /** Whether {@code metadata.deletionTimestamp} is set. */
    static boolean deleting(HasMetadata o) {
        ObjectMeta m = o.getMetadata();
        return m != null && m.getDeletionTimestamp() != null && !m.getDeletionTimestamp().isEmpty();
    }

    /** {@code s}, or {@code <none>} when null or empty. */
    static String orNone(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    /** A label map as {@code k1=v1,k2=v2} sorted by key, {@code <none>} when empty (labels.FormatLabels). */
    static String labels(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return NONE;
        }
        return new TreeMap<>(labels).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /** The comma-joined container names of a pod template. */
    static String containerNames(List<Container> containers) {
        return list(containers).stream().map(c -> orEmpty(c.getName())).collect(Collectors.joining(","));
    }

    /** The comma-joined container images of a pod template. */
    static String containerImages(List<Container> containers) {
        return list(containers).stream().map(c -> orEmpty(c.getImage())).collect(Collectors.joining(","));
    }

    /** {@code o} as the model class {@code type}, converting through JSON if it is another representation. */
    static <T> T as(HasMetadata o, Class<T> type) {
        if (type.isInstance(o)) {
            return type.cast(o);
        }
        return CONVERTER.convertValue(o, type);
    }
}
