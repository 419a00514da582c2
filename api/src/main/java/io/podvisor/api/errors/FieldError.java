package io.podvisor.api.errors;

import io.fabric8.kubernetes.api.model.StatusCause;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One validation error, as upstream's {@code field.Error} prints:
 * {@code <field>: <type>: <detail>}, or {@code <field>: Invalid value: <value>: <detail>}.
 *
 * @param type the error type: {@link #REQUIRED}, {@link #INVALID}, {@link #FORBIDDEN},
 *     {@link #DUPLICATE}, {@link #NOT_SUPPORTED}, {@link #TOO_LONG}, {@link #TOO_MANY}, {@link #NOT_FOUND}
 * @param field the field path, e.g. {@code spec.containers[0].image}
 * @param value the rendered bad value (already quoted for strings, as upstream prints it), or null
 * @param detail the explanation, or null
 */
public record FieldError(Type type, String field, String value, String detail) {

    public enum Type {
        REQUIRED("FieldValueRequired", "Required value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        TOO_MANY("FieldValueTooMany", "Too many"),
        NOT_FOUND("FieldValueNotFound", "Not found");

        private final String reason;
        private final String text;

        Type(String reason, String text) {
            this.reason = reason;
            this.text = text;
        }

        public String reason() {
            return reason;
        }

        public String text() {
            return text;
        }
    }

    public static final Type REQUIRED = Type.REQUIRED;
    public static final Type INVALID = Type.INVALID;
    public static final Type FORBIDDEN = Type.FORBIDDEN;
    public static final Type DUPLICATE = Type.DUPLICATE;
    public static final Type NOT_SUPPORTED = Type.NOT_SUPPORTED;
    public static final Type TOO_LONG = Type.TOO_LONG;
    public static final Type TOO_MANY = Type.TOO_MANY;
    public static final Type NOT_FOUND = Type.NOT_FOUND;

    public static FieldError required(String field, String detail) {
        return new FieldError(REQUIRED, field, null, detail);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(FORBIDDEN, field, null, detail);
    }

    /** An invalid value; {@code renderedValue} as upstream prints it (strings quoted, numbers bare). */
    public static FieldError invalid(String field, String renderedValue, String detail) {
        return new FieldError(INVALID, field, renderedValue, detail);
    }

    public static FieldError duplicate(String field, String renderedValue) {
        return new FieldError(DUPLICATE, field, renderedValue, null);
    }

    /** {@code Not found: "x"}: a reference to something that does not exist (a volume, a key). */
    public static FieldError notFound(String field, String renderedValue) {
        return new FieldError(NOT_FOUND, field, renderedValue, null);
    }

    public static FieldError notSupported(String field, String renderedValue, List<String> supported) {
        String detail = "supported values: " + supported.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
        return new FieldError(NOT_SUPPORTED, field, renderedValue, detail);
    }

    /** Go's %q rendering of a string value, as used in messages. */
    public static String quote(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The message part without the field: {@code Required value}, {@code Invalid value: "x": detail}. */
    public String message() {
        StringBuilder b = new StringBuilder(type.text());
        if (value != null) {
            b.append(": ").append(value);
        }
        if (detail != null && !detail.isEmpty()) {
            b.append(": ").append(detail);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return field + ": " + message();
    }

    StatusCause toCause() {
        StatusCause c = new StatusCause();
        c.setReason(type.reason());
        c.setMessage(message());
        c.setField(field);
        return c;
    }

    /** One error alone, or upstream's aggregate {@code [a, b]} for several. */
    static String join(List<FieldError> errors) {
        if (errors.size() == 1) {
            return errors.getFirst().toString();
        }
        return errors.stream().map(FieldError::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
