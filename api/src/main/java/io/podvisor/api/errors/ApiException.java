package io.podvisor.api.errors;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import java.util.List;

/**
 * Every failure the API reports to a client, classified. Each maps to one HTTP code and one
 * {@code Status.reason}; {@link #toStatus()} builds the body kubectl decodes ({@code Error from
 * server (<reason>): <message>}, or for {@code Invalid} the message rebuilt from details and
 * causes). Messages follow the upstream wording, e.g. {@code pods "web" not found}.
 */
public abstract sealed class ApiException extends RuntimeException {

    private final int code;
    private final String reason;
    /** {@code details.kind} as upstream sets it: a resource ({@code pods}) or a kind ({@code Pod}). */
    private final String detailsKind;
    private final String detailsGroup;
    private final String name;

    protected ApiException(int code, String reason, String message, String detailsGroup, String detailsKind, String name) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.detailsGroup = detailsGroup;
        this.detailsKind = detailsKind;
        this.name = name;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** The causes listed in {@code details.causes} (empty unless a subclass has them). */
    public List<StatusCause> causes() {
        return List.of();
    }

    public Status toStatus() {
        StatusDetails details = null;
        // a NotFound always has details, if empty (`"details":{}`): kubectl reads details.name of a 404
        if (detailsKind != null || name != null || !causes().isEmpty() || this instanceof NotFound) {
            details = new StatusDetails();
            details.setName(name);
            details.setKind(detailsKind);
            if (detailsGroup != null && !detailsGroup.isEmpty()) {
                details.setGroup(detailsGroup);
            }
            if (!causes().isEmpty()) {
                details.setCauses(causes());
            }
        }
        return new StatusBuilder().withNewMetadata().endMetadata().withStatus("Failure")
                .withMessage(getMessage()).withReason(reason.isEmpty() ? null : reason)
                .withDetails(details).withCode(code).build();
    }

    /** 404: {@code pods "web" not found}. */
    public static final class NotFound extends ApiException {
        public NotFound(String group, String resource, String name) {
            super(404, "NotFound", qualified(group, resource) + " \"" + name + "\" not found", group, resource, name);
        }

        /** A 404 with a free message (unknown path or resource type). */
        public NotFound(String message) {
            super(404, "NotFound", message, null, null, null);
        }

        private NotFound(String message, String group, String resource, String name) {
            super(404, "NotFound", message, group, resource, name);
        }
    }

    /** 409: {@code pods "web" already exists}. */
    public static final class AlreadyExists extends ApiException {
        public AlreadyExists(String group, String resource, String name) {
            super(409, "AlreadyExists", qualified(group, resource) + " \"" + name + "\" already exists", group, resource, name);
        }

        private AlreadyExists(String message, String group, String resource, String name) {
            super(409, "AlreadyExists", message, group, resource, name);
        }
    }

    /**
     * 409 Conflict: {@code Operation cannot be fulfilled on pods "web": the object has been
     * modified; please apply your changes to the latest version and try again}.
     */
    public static final class Conflict extends ApiException {
        private final List<StatusCause> causes;

        public Conflict(String group, String resource, String name, String why) {
            this(group, resource, name, "Operation cannot be fulfilled on " + qualified(group, resource) + " \"" + name + "\": " + why, List.of());
        }

        /** A conflict with a free message and causes (server-side apply field conflicts). */
        public Conflict(String group, String resource, String name, String message, List<StatusCause> causes) {
            super(409, "Conflict", message, group, resource, name);
            this.causes = List.copyOf(causes);
        }

        @Override
        public List<StatusCause> causes() {
            return causes;
        }
    }

    /**
     * 422 Invalid: {@code Pod "web" is invalid: spec.containers[0].image: Required value}.
     * {@code details.kind} is the Kind; each cause has reason, message and field.
     */
    public static final class Invalid extends ApiException {
        private final List<FieldError> errors;
        private final List<StatusCause> causes;

        public Invalid(String group, String kind, String name, List<FieldError> errors) {
            super(422, "Invalid", qualified(group, kind) + " \"" + name + "\" is invalid: " + FieldError.join(errors), group, kind, name);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an Invalid error needs at least one field error");
            }
            this.errors = List.copyOf(errors);
            this.causes = errors.stream().map(FieldError::toCause).toList();
        }

        /** As a server sent it: its message and causes kept, no field errors rebuilt. */
        private Invalid(String message, String group, String kind, String name, List<StatusCause> causes) {
            super(422, "Invalid", message, group, kind, name);
            this.errors = List.of();
            this.causes = List.copyOf(causes);
        }

        /** The field errors; empty for one decoded from a server's Status ({@link #causes()} has them). */
        public List<FieldError> errors() {
            return errors;
        }

        @Override
        public List<StatusCause> causes() {
            return causes;
        }
    }

    /**
     * 422 Invalid without field errors, as upstream's generic server response words it: a free
     * message and the underlying error as an {@code UnexpectedServerResponse} cause (a JSON patch
     * that does not apply: {@code the server rejected our request due to an error in our request}).
     */
    public static final class Unprocessable extends ApiException {
        private final List<StatusCause> causes;

        public Unprocessable(String message, String cause) {
            super(422, "Invalid", message, null, null, null);
            StatusCause c = new StatusCause();
            c.setReason("UnexpectedServerResponse");
            c.setMessage(cause);
            this.causes = List.of(c);
        }

        @Override
        public List<StatusCause> causes() {
            return causes;
        }
    }

    /** 410 Gone / Expired: a watch or continue token too old for the history window. */
    public static final class Gone extends ApiException {
        public Gone(String message) {
            super(410, "Expired", message, null, null, null);
        }
    }

    /** 400 BadRequest with a free message. */
    public static final class BadRequest extends ApiException {
        public BadRequest(String message) {
            super(400, "BadRequest", message, null, null, null);
        }
    }

    /** 429 TooManyRequests: the server asks the client to come back later. */
    public static final class TooManyRequests extends ApiException {
        public TooManyRequests(String message) {
            super(429, "TooManyRequests", message, null, null, null);
        }
    }

    /** 503 ServiceUnavailable, 504 Timeout and other answers no class above names: code and reason as sent. */
    public static final class Other extends ApiException {
        public Other(int code, String reason, String message) {
            super(code, reason == null ? "" : reason, message, null, null, null);
        }
    }

    /** 401 Unauthorized. */
    public static final class Unauthorized extends ApiException {
        public Unauthorized() {
            super(401, "Unauthorized", "Unauthorized", null, null, null);
        }
    }

    /** 403 Forbidden with a free message. */
    public static final class Forbidden extends ApiException {
        public Forbidden(String group, String resource, String name, String message) {
            super(403, "Forbidden", message, group, resource, name);
        }
    }

    /** 405 MethodNotAllowed. */
    public static final class MethodNotAllowed extends ApiException {
        public MethodNotAllowed(String message) {
            super(405, "MethodNotAllowed", message, null, null, null);
        }
    }

    /** 413 RequestEntityTooLarge. */
    public static final class TooLarge extends ApiException {
        public TooLarge(String message) {
            super(413, "RequestEntityTooLarge", message, null, null, null);
        }
    }

    /** 415 UnsupportedMediaType. */
    public static final class UnsupportedMediaType extends ApiException {
        public UnsupportedMediaType(String message) {
            super(415, "UnsupportedMediaType", message, null, null, null);
        }
    }

    /** 500 InternalError. */
    public static final class Internal extends ApiException {
        public Internal(String message) {
            super(500, "InternalError", message, null, null, null);
        }
    }

    /**
     * The exception a server's failure {@code Status} stands for, the inverse of {@link #toStatus()}:
     * chosen by {@code reason} (then by {@code code}), with the server's message, details and causes
     * kept as sent.
     *
     * @param httpCode the response's HTTP code, used when the Status has none
     */
    public static ApiException fromStatus(Status status, int httpCode) {
        int code = status.getCode() == null || status.getCode() == 0 ? httpCode : status.getCode();
        String reason = status.getReason() == null ? "" : status.getReason();
        String message = status.getMessage() == null || status.getMessage().isEmpty()
                ? "the server responded with the status code " + code + " but did not return more information"
                : status.getMessage();
        StatusDetails d = status.getDetails();
        String group = d == null ? null : d.getGroup();
        String kind = d == null ? null : d.getKind();
        String name = d == null ? null : d.getName();
        List<StatusCause> causes = d == null || d.getCauses() == null ? List.of() : d.getCauses();
        return switch (reason) {
            case "NotFound" -> new NotFound(message, group, kind, name);
            case "AlreadyExists" -> new AlreadyExists(message, group, kind, name);
            case "Conflict" -> new Conflict(group, kind, name, message, causes);
            case "Invalid" -> new Invalid(message, group, kind, name, causes);
            case "Gone", "Expired" -> new Gone(message);
            case "BadRequest" -> new BadRequest(message);
            case "Unauthorized" -> new Unauthorized();
            case "Forbidden" -> new Forbidden(group, kind, name, message);
            case "MethodNotAllowed" -> new MethodNotAllowed(message);
            case "RequestEntityTooLarge" -> new TooLarge(message);
            case "UnsupportedMediaType" -> new UnsupportedMediaType(message);
            case "TooManyRequests" -> new TooManyRequests(message);
            case "InternalError" -> new Internal(message);
            default -> switch (code) {
                case 400 -> new BadRequest(message);
                case 401 -> new Unauthorized();
                case 404 -> new NotFound(message, group, kind, name);
                case 409 -> new Conflict(group, kind, name, message, causes);
                case 410 -> new Gone(message);
                case 422 -> new Invalid(message, group, kind, name, causes);
                case 429 -> new TooManyRequests(message);
                default -> new Other(code, reason, message);
            };
        };
    }

    /** {@code pods} for the core group, {@code jobs.batch} otherwise, as upstream's messages read. */
    static String qualified(String group, String resource) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }
}
