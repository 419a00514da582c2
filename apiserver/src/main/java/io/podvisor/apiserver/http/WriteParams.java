package io.podvisor.apiserver.http;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.podvisor.api.errors.ApiException;
import io.podvisor.apiserver.registry.Registry;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/** Reads the write parameters ({@code dryRun}, {@code fieldManager}, {@code fieldValidation}, {@code force}) and delete options. */
final class WriteParams {

    private WriteParams() {}

    static Registry.WriteOptions of(Query q) {
        return new Registry.WriteOptions(dryRun(q.all("dryRun")), q.get("fieldManager"), validation(q.get("fieldValidation")),
                q.flag("force"));
    }

    /** {@code fieldValidation}: absent → Warn (upstream's default), else Strict, Warn or Ignore. */
    static Registry.FieldValidation validation(String v) {
        if (v == null || v.isEmpty()) {
            return Registry.FieldValidation.WARN;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "strict" -> Registry.FieldValidation.STRICT;
            case "warn" -> Registry.FieldValidation.WARN;
            case "ignore" -> Registry.FieldValidation.IGNORE;
            default -> throw new ApiException.BadRequest(
                    "fieldValidation: Unsupported value: \"" + v + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
        };
    }

    private static boolean dryRun(List<String> values) {
        for (String v : values) {
            if (!v.equals("All")) {
                throw new ApiException.BadRequest("dryRun: Unsupported value: \"" + v + "\": supported values: \"All\"");
            }
        }
        return !values.isEmpty();
    }

    /** The DELETE body (may be empty) merged with the {@code gracePeriodSeconds}, {@code propagationPolicy} and {@code dryRun} parameters. */
    static DeleteOptions deleteOptions(Exchange ex) throws IOException {
        DeleteOptions options = Bodies.options(ex.header("Content-Type"), ex.body(), DeleteOptions.class);
        Query q = ex.query();
        Long grace = q.number("gracePeriodSeconds");
        String policy = q.get("propagationPolicy");
        boolean dry = dryRun(q.all("dryRun"));
        if (grace == null && policy == null && !dry) {
            return options;
        }
        DeleteOptions o = options == null ? new DeleteOptions() : options;
        if (grace != null) {
            o.setGracePeriodSeconds(grace);
        }
        if (policy != null) {
            o.setPropagationPolicy(policy);
        }
        if (dry) {
            o.setDryRun(List.of("All"));
        }
        return o;
    }
}
