package io.podvisor.apiserver.http;

import io.podvisor.api.errors.ApiException;
import io.podvisor.api.errors.FieldError;
import io.podvisor.apiserver.registry.Registry;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The query of a list or watch as kube-apiserver reads and checks it: integers that do not parse
 * are 400 ({@code strconv.ParseInt: parsing "x": invalid syntax}), a {@code resourceVersion} that
 * is not a revision is 400 ({@code invalid resource version: …}), and the combinations upstream's
 * {@code ValidateListOptions} forbids are 422 Invalid on {@code ListOptions.meta.k8s.io}.
 */
final class ListParams {

    /** Revisions are kept as Java longs, so the largest is below upstream's uint64 bound. */
    private static final BigInteger MAX_REVISION = BigInteger.valueOf(Long.MAX_VALUE);

    private ListParams() {}

    static Registry.ListOptions of(String namespace, Query q) {
        Long limit = q.number("limit");
        q.number("timeoutSeconds");
        boolean watch = q.flag("watch");
        String rv = q.get("resourceVersion");
        String match = q.get("resourceVersionMatch");
        String cont = q.get("continue");
        validate(watch, rv, match, cont, q.get("sendInitialEvents") != null && q.flag("sendInitialEvents"));
        resourceVersion(rv);
        if (!watch && cont != null && !cont.isEmpty() && rv != null && !rv.isEmpty() && !rv.equals("0")) {
            throw new ApiException.BadRequest("specifying resource version is not allowed when using continue");
        }
        return new Registry.ListOptions(namespace, q.get("labelSelector"), q.get("fieldSelector"), rv,
                limit == null ? 0 : limit, cont, q.flag("allowWatchBookmarks"));
    }

    private static void validate(boolean watch, String rv, String match, String cont, boolean sendInitialEvents) {
        List<FieldError> errors = new ArrayList<>();
        boolean hasMatch = match != null && !match.isEmpty();
        if (watch) {
            if (hasMatch) {
                errors.add(FieldError.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch"));
            }
        } else {
            if (hasMatch) {
                if (rv == null || rv.isEmpty()) {
                    errors.add(FieldError.forbidden("resourceVersionMatch",
                            "resourceVersionMatch is forbidden unless resourceVersion is provided"));
                }
                if (cont != null && !cont.isEmpty()) {
                    errors.add(FieldError.forbidden("resourceVersionMatch",
                            "resourceVersionMatch is forbidden when continue is provided"));
                }
                if (!match.equals("Exact") && !match.equals("NotOlderThan")) {
                    errors.add(FieldError.notSupported("resourceVersionMatch", FieldError.quote(match),
                            List.of("Exact", "NotOlderThan", "")));
                }
                if (match.equals("Exact") && "0".equals(rv)) {
                    errors.add(FieldError.forbidden("resourceVersionMatch",
                            "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
                }
            }
            if (sendInitialEvents) {
                errors.add(FieldError.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException.Invalid("meta.k8s.io", "ListOptions", "", errors);
        }
    }

    /** A revision as upstream's versioner parses it: empty, or an unsigned decimal (400 otherwise). */
    static void resourceVersion(String rv) {
        if (rv == null || rv.isEmpty()) {
            return;
        }
        String why = null;
        if (!rv.matches("[0-9]+")) {
            why = "invalid syntax";
        } else if (new BigInteger(rv).compareTo(MAX_REVISION) > 0) {
            why = "value out of range";
        }
        if (why != null) {
            throw new ApiException.BadRequest("invalid resource version: resourceVersion: Invalid value: "
                    + FieldError.quote(rv) + ": strconv.ParseUint: parsing " + FieldError.quote(rv) + ": " + why);
        }
    }
}
