package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.podvisor.api.errors.FieldError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Object metadata rules shared by every kind: name (or generateName), namespace presence, labels,
 * annotations (keys and the 256 KiB total), finalizer names, owner references; on update, the immutable identity
 * fields (name, namespace, uid, creationTimestamp). A missing name is accepted when
 * {@code generateName} is set (upstream generates the name before validating; a server that
 * generates it later still gets the prefix checked).
 */
final class MetaValidation {

    /** How a kind's names are checked. */
    enum NameRule {
        SUBDOMAIN(Names::dns1123Subdomain),
        LABEL(Names::dns1123Label),
        DNS1035(Names::dns1035Label);

        private final Function<String, List<String>> check;

        NameRule(Function<String, List<String>> check) {
            this.check = check;
        }

        List<String> check(String name, boolean prefix) {
            return check.apply(prefix ? Names.maskTrailingDash(name) : name);
        }
    }

    static final int ANNOTATIONS_LIMIT = 256 * 1024;
    private static final DateTimeFormatter GO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private MetaValidation() {}

    static List<FieldError> validate(ObjectMeta meta, boolean namespaced, NameRule rule) {
        List<FieldError> errs = new ArrayList<>();
        ObjectMeta m = meta == null ? new ObjectMeta() : meta;
        String generateName = m.getGenerateName();
        if (generateName != null && !generateName.isEmpty()) {
            Errs.each(errs, "metadata.generateName", Errs.q(generateName), rule.check(generateName, true));
        }
        boolean generated = generateName != null && !generateName.isEmpty();
        if ((m.getName() == null || m.getName().isEmpty()) && !generated) {
            errs.add(FieldError.required("metadata.name", "name or generateName is required"));
        } else if (m.getName() != null && !m.getName().isEmpty()) {
            Errs.each(errs, "metadata.name", Errs.q(m.getName()), rule.check(m.getName(), false));
        }
        boolean hasNamespace = m.getNamespace() != null && !m.getNamespace().isEmpty();
        if (namespaced && !hasNamespace) {
            errs.add(FieldError.required("metadata.namespace", null));
        } else if (namespaced) {
            Errs.each(errs, "metadata.namespace", Errs.q(m.getNamespace()), Names.dns1123Label(m.getNamespace()));
        } else if (hasNamespace) {
            errs.add(FieldError.forbidden("metadata.namespace", "not allowed on this type"));
        }
        Errs.nonNegative(errs, "metadata.generation", m.getGeneration());
        errs.addAll(labels(m.getLabels(), "metadata.labels"));
        errs.addAll(annotations(m.getAnnotations(), "metadata.annotations"));
        if (m.getFinalizers() != null) {
            for (String f : m.getFinalizers()) {
                Errs.each(errs, "metadata.finalizers", Errs.q(f), Names.qualifiedName(f == null ? "" : f));
            }
            if (m.getFinalizers().contains("orphan") && m.getFinalizers().contains("foregroundDeletion")) {
                errs.add(FieldError.invalid("metadata.finalizers", Errs.goStrings(m.getFinalizers()),
                        "finalizer orphan and foregroundDeletion cannot be both set"));
            }
        }
        ownerReferences(errs, m.getOwnerReferences(), "metadata.ownerReferences");
        return errs;
    }

    /**
     * Upstream's {@code ValidateOwnerReferences}: each reference's version, kind, name and uid set
     * (the paths name the list, as upstream's do), no Event as an owner, at most one controller.
     */
    static void ownerReferences(List<FieldError> errs, List<OwnerReference> refs, String path) {
        String firstController = null;
        for (OwnerReference listed : refs == null ? List.<OwnerReference>of() : refs) {
            // a null entry (a typed caller's; JSON null decodes to the zero value upstream) is an empty reference
            OwnerReference ref = listed == null ? emptyReference() : listed;
            String apiVersion = ref.getApiVersion() == null ? "" : ref.getApiVersion();
            String[] gv = apiVersion.split("/", -1);
            boolean validVersion = gv.length == 1 ? !apiVersion.isEmpty() : gv.length == 2 && !gv[1].isEmpty();
            if (!validVersion) {
                errs.add(FieldError.invalid(path + ".apiVersion", Errs.q(apiVersion), "version must not be empty"));
            }
            String kind = ref.getKind() == null ? "" : ref.getKind();
            if (kind.isEmpty()) {
                errs.add(FieldError.invalid(path + ".kind", Errs.q(kind), "must not be empty"));
            }
            if (ref.getName() == null || ref.getName().isEmpty()) {
                errs.add(FieldError.invalid(path + ".name", "\"\"", "must not be empty"));
            }
            if (ref.getUid() == null || ref.getUid().isEmpty()) {
                errs.add(FieldError.invalid(path + ".uid", "\"\"", "must not be empty"));
            }
            if (apiVersion.equals("v1") && kind.equals("Event")) {
                errs.add(FieldError.invalid(path, render(ref), "/v1, Kind=Event is disallowed from being an owner"));
            }
            if (Boolean.TRUE.equals(ref.getController())) {
                String current = kind + "/" + ref.getName();
                if (firstController != null) {
                    errs.add(FieldError.invalid(path, "[]v1.OwnerReference{…}", "Only one reference can have Controller set to true. Found \"true\" in references for "
                            + firstController + " and " + current));
                } else {
                    firstController = current;
                }
            }
        }
    }

    /** Go's zero OwnerReference (fabric8's constructor presets apiVersion and kind). */
    private static OwnerReference emptyReference() {
        OwnerReference r = new OwnerReference();
        r.setApiVersion(null);
        r.setKind(null);
        return r;
    }

    /** Go's {@code %#v} of an owner reference, pointers shown by their values. */
    private static String render(OwnerReference r) {
        return "v1.OwnerReference{APIVersion:" + Errs.q(r.getApiVersion()) + ", Kind:" + Errs.q(r.getKind()) + ", Name:"
                + Errs.q(r.getName()) + ", UID:" + Errs.q(r.getUid()) + ", Controller:(*bool)(" + r.getController()
                + "), BlockOwnerDeletion:(*bool)(" + r.getBlockOwnerDeletion() + ")}";
    }

    /** Label keys and values; every error's path is the map's own path (as upstream). */
    static List<FieldError> labels(Map<String, String> labels, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (labels != null) {
            labels.forEach((k, v) -> {
                Errs.each(errs, path, Errs.q(k), Names.qualifiedName(k));
                Errs.each(errs, path, Errs.q(v), Names.labelValue(v == null ? "" : v));
            });
        }
        return errs;
    }

    static List<FieldError> annotations(Map<String, String> annotations, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (annotations == null) {
            return errs;
        }
        long size = 0;
        for (var e : annotations.entrySet()) {
            Errs.each(errs, path, Errs.q(e.getKey()), Names.qualifiedName(e.getKey().toLowerCase(Locale.ROOT)));
            size += bytes(e.getKey()) + bytes(e.getValue());
        }
        if (size > ANNOTATIONS_LIMIT) {
            errs.add(tooLong(path, ANNOTATIONS_LIMIT));
        }
        return errs;
    }

    /** {@code <path>: Too long: may not be more than N bytes} (the value is never printed). */
    static FieldError tooLong(String path, int limit) {
        return new FieldError(FieldError.TOO_LONG, path, null, "may not be more than " + limit + " bytes");
    }

    static long bytes(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The identity fields that no update may change. */
    static List<FieldError> update(ObjectMeta now, ObjectMeta old) {
        List<FieldError> errs = new ArrayList<>();
        ObjectMeta n = now == null ? new ObjectMeta() : now;
        ObjectMeta o = old == null ? new ObjectMeta() : old;
        Errs.immutable(errs, "metadata.name", blank(n.getName()), blank(o.getName()), Errs.q(n.getName()));
        Errs.immutable(errs, "metadata.namespace", blank(n.getNamespace()), blank(o.getNamespace()), Errs.q(n.getNamespace()));
        Errs.immutable(errs, "metadata.uid", blank(n.getUid()), blank(o.getUid()), Errs.q(n.getUid()));
        Errs.immutable(errs, "metadata.creationTimestamp", blank(n.getCreationTimestamp()),
                blank(o.getCreationTimestamp()), goTime(n.getCreationTimestamp()));
        return errs;
    }

    private static String blank(String s) {
        return s == null ? "" : s;
    }

    /** Go's {@code time.Time.String()} of an RFC 3339 timestamp (UTC). */
    static String goTime(String rfc3339) {
        if (rfc3339 == null || rfc3339.isEmpty()) {
            return "0001-01-01 00:00:00 +0000 UTC";
        }
        try {
            return GO_TIME.format(Instant.parse(rfc3339));
        } catch (DateTimeParseException e) {
            return Errs.q(rfc3339);
        }
    }
}
