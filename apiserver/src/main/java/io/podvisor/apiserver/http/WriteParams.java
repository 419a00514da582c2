package io.podvisor.apiserver.http;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.errors.FieldError;
import io.podvisor.api.patch.PatchType;
import io.podvisor.apiserver.registry.Registry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads and validates the write parameters ({@code dryRun}, {@code fieldManager},
 * {@code fieldValidation}, {@code force}) and the delete options as kube-apiserver does: a value it
 * does not support is 422 Invalid on {@code CreateOptions}, {@code UpdateOptions},
 * {@code PatchOptions} or {@code DeleteOptions} ({@code meta.k8s.io}), before anything is read or
 * written.
 */
final class WriteParams {

    /** Upstream's {@code FieldManagerMaxLength}. */
    static final int FIELD_MANAGER_MAX = 128;
    private static final String META_GROUP = "meta.k8s.io";
    private static final List<String> FIELD_VALIDATION_VALUES = List.of("", "Ignore", "Strict", "Warn");
    private static final List<String> PROPAGATION_VALUES = List.of("Foreground", "Background", "Orphan", "nil");

    private WriteParams() {}

    /** The options of a create (POST). */
    static Registry.WriteOptions create(Query q) {
        return write(q, "CreateOptions", new ArrayList<>());
    }

    /** The options of an update (PUT). */
    static Registry.WriteOptions update(Query q) {
        return write(q, "UpdateOptions", new ArrayList<>());
    }

    /** The options of a patch: {@code force} only with apply, which needs a {@code fieldManager}. */
    static Registry.WriteOptions patch(Query q, PatchType type) {
        List<FieldError> errors = new ArrayList<>();
        if (type != PatchType.APPLY) {
            if (q.get("force") != null) {
                errors.add(FieldError.forbidden("force", "may not be specified for non-apply patch"));
            }
        } else if (q.get("fieldManager") == null || q.get("fieldManager").isEmpty()) {
            errors.add(FieldError.required("fieldManager", "is required for apply patch"));
        }
        return write(q, "PatchOptions", errors);
    }

    private static Registry.WriteOptions write(Query q, String kind, List<FieldError> errors) {
        String manager = q.get("fieldManager");
        fieldManager(manager, errors);
        List<String> dryRun = q.all("dryRun");
        dryRun(dryRun, errors);
        String validation = q.get("fieldValidation");
        String v = validation == null ? "" : validation;
        if (!FIELD_VALIDATION_VALUES.contains(v)) {
            errors.add(FieldError.notSupported("fieldValidation", FieldError.quote(v), FIELD_VALIDATION_VALUES));
        }
        check(kind, errors);
        return new Registry.WriteOptions(!dryRun.isEmpty(), manager == null || manager.isEmpty() ? null : manager,
                validation(v), q.flag("force"));
    }

    /**
     * The field manager of a write whose request names none, as kube-apiserver's
     * {@code managerOrUserAgent}: the User-Agent before its first {@code /}, unprintable characters
     * left out, cut at {@value #FIELD_MANAGER_MAX} bytes ({@code fabric8-kubernetes-client},
     * {@code OpenAPI-Generator}); so every writer's changes show in {@code managedFields}.
     */
    static Registry.WriteOptions managerOrUserAgent(Registry.WriteOptions options, String userAgent) {
        if (options.fieldManager() != null || userAgent == null) {
            return options;
        }
        String prefix = userAgent.split("/", -1)[0];
        StringBuilder manager = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < prefix.length(); i += Character.charCount(prefix.codePointAt(i))) {
            int cp = prefix.codePointAt(i);
            if (!printable(cp)) {
                continue;
            }
            int length = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes + length > FIELD_MANAGER_MAX) {
                break;
            }
            manager.appendCodePoint(cp);
            bytes += length;
        }
        return manager.isEmpty() ? options
                : new Registry.WriteOptions(options.dryRun(), manager.toString(), options.fieldValidation(), options.force());
    }

    private static void check(String kind, List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new ApiException.Invalid(META_GROUP, kind, "", errors);
        }
    }

    /** {@code fieldValidation}: absent or empty → Warn (upstream's default), else Strict, Warn or Ignore. */
    private static Registry.FieldValidation validation(String v) {
        return switch (v) {
            case "Strict" -> Registry.FieldValidation.STRICT;
            case "Ignore" -> Registry.FieldValidation.IGNORE;
            default -> Registry.FieldValidation.WARN;
        };
    }

    /** At most 128 bytes, printable characters only. */
    private static void fieldManager(String manager, List<FieldError> errors) {
        if (manager == null) {
            return;
        }
        if (manager.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > FIELD_MANAGER_MAX) {
            errors.add(new FieldError(FieldError.TOO_LONG, "fieldManager", null,
                    "must have at most " + FIELD_MANAGER_MAX + " bytes"));
        }
        int bytes = 0;
        for (int i = 0; i < manager.length(); ) {
            int cp = manager.codePointAt(i);
            if (!printable(cp)) {
                errors.add(FieldError.invalid("fieldManager", FieldError.quote(manager),
                        String.format("invalid character U+%04X (at position %d)", cp, bytes)));
            }
            bytes += new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            i += Character.charCount(cp);
        }
    }

    /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    private static boolean printable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Only {@code All}; upstream prints the whole list Go-style ({@code []string{"x"}}). */
    private static void dryRun(List<String> values, List<FieldError> errors) {
        if (values.stream().anyMatch(v -> !v.equals("All"))) {
            String rendered = values.stream().map(FieldError::quote).collect(Collectors.joining(", ", "[]string{", "}"));
            errors.add(FieldError.notSupported("dryRun", rendered, List.of("All")));
        }
    }

    /**
     * The delete options: the body when there is one, else the query's {@code gracePeriodSeconds},
     * {@code propagationPolicy}, {@code orphanDependents} and {@code dryRun} (as upstream, a body
     * makes the query's options ignored); then validated. Null when neither gives any.
     */
    static DeleteOptions deleteOptions(Exchange ex) throws IOException {
        byte[] body = ex.body();
        DeleteOptions options = body.length > 0
                ? Bodies.options(ex.header("Content-Type"), body, DeleteOptions.class)
                : fromQuery(ex.query());
        if (options != null) {
            validate(options);
        }
        return options;
    }

    private static DeleteOptions fromQuery(Query q) {
        Long grace = q.number("gracePeriodSeconds");
        String policy = q.get("propagationPolicy");
        String orphan = q.get("orphanDependents");
        List<String> dry = q.all("dryRun");
        if (grace == null && policy == null && orphan == null && dry.isEmpty()) {
            return null;
        }
        DeleteOptions o = new DeleteOptions();
        o.setGracePeriodSeconds(grace);
        o.setPropagationPolicy(policy);
        if (orphan != null) {
            o.setOrphanDependents(q.flag("orphanDependents"));
        }
        if (!dry.isEmpty()) {
            o.setDryRun(List.copyOf(dry));
        }
        return o;
    }

    /** Upstream's {@code ValidateDeleteOptions}. */
    static void validate(DeleteOptions o) {
        List<FieldError> errors = new ArrayList<>();
        String policy = o.getPropagationPolicy();
        if (o.getOrphanDependents() != null && policy != null) {
            errors.add(FieldError.invalid("propagationPolicy", FieldError.quote(policy),
                    "orphanDependents and deletionPropagation cannot be both set"));
        }
        if (policy != null && !PROPAGATION_VALUES.subList(0, 3).contains(policy)) {
            errors.add(FieldError.notSupported("propagationPolicy", FieldError.quote(policy), PROPAGATION_VALUES));
        }
        if (o.getDryRun() != null) {
            dryRun(o.getDryRun(), errors);
        }
        check("DeleteOptions", errors);
    }
}
