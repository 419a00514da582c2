package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.podvisor.api.errors.FieldError;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Config map, secret and namespace rules (keys, sizes, secret types, immutability). */
final class DataValidation {

    /** Upstream's {@code MaxSecretSize}, also the config map limit. */
    static final int MAX_SIZE = 1024 * 1024;
    private static final String IMMUTABLE = "field is immutable when `immutable` is set";

    private DataValidation() {}

    static List<FieldError> configMap(ConfigMap cm) {
        List<FieldError> errs = MetaValidation.validate(cm.getMetadata(), true, MetaValidation.NameRule.SUBDOMAIN);
        Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
        Map<String, String> binary = cm.getBinaryData() == null ? Map.of() : cm.getBinaryData();
        long size = 0;
        for (var e : data.entrySet()) {
            keys(errs, "data", e.getKey(), binary.containsKey(e.getKey()) ? "binaryData" : null);
            size += MetaValidation.bytes(e.getValue());
        }
        for (var e : binary.entrySet()) {
            keys(errs, "binaryData", e.getKey(), data.containsKey(e.getKey()) ? "data" : null);
            size += decodedSize(e.getValue());
        }
        if (size > MAX_SIZE) {
            errs.add(MetaValidation.tooLong("", MAX_SIZE));
        }
        return errs;
    }

    private static void keys(List<FieldError> errs, String bag, String key, String duplicateIn) {
        String path = bag + "[" + key + "]";
        Errs.each(errs, path, Errs.q(key), Names.configMapKey(key));
        if (duplicateIn != null) {
            errs.add(FieldError.invalid(path, Errs.q(key), "duplicate of key present in " + duplicateIn));
        }
    }

    static List<FieldError> secret(Secret s) {
        List<FieldError> errs = MetaValidation.validate(s.getMetadata(), true, MetaValidation.NameRule.SUBDOMAIN);
        Map<String, String> data = s.getData() == null ? Map.of() : s.getData();
        long size = 0;
        for (var e : data.entrySet()) {
            Errs.each(errs, "data[" + e.getKey() + "]", Errs.q(e.getKey()), Names.configMapKey(e.getKey()));
            size += decodedSize(e.getValue());
        }
        if (size > MAX_SIZE) {
            errs.add(MetaValidation.tooLong("data", MAX_SIZE));
        }
        Map<String, String> annotations = s.getMetadata() == null || s.getMetadata().getAnnotations() == null
                ? Map.of() : s.getMetadata().getAnnotations();
        switch (s.getType() == null ? "" : s.getType()) {
            case "kubernetes.io/service-account-token" -> {
                if (annotations.getOrDefault("kubernetes.io/service-account.name", "").isEmpty()) {
                    errs.add(FieldError.required("metadata.annotations[kubernetes.io/service-account.name]", null));
                }
            }
            case "kubernetes.io/dockercfg" -> requireKey(errs, data, ".dockercfg");
            case "kubernetes.io/dockerconfigjson" -> requireKey(errs, data, ".dockerconfigjson");
            case "kubernetes.io/basic-auth" -> {
                if (!data.containsKey("username") && !data.containsKey("password")) {
                    requireKey(errs, data, "username");
                    requireKey(errs, data, "password");
                }
            }
            case "kubernetes.io/ssh-auth" -> {
                if (decodedSize(data.get("ssh-privatekey")) == 0) {
                    errs.add(FieldError.required("data[ssh-privatekey]", null));
                }
            }
            case "kubernetes.io/tls" -> {
                requireKey(errs, data, "tls.crt");
                requireKey(errs, data, "tls.key");
            }
            default -> { }
        }
        return errs;
    }

    private static void requireKey(List<FieldError> errs, Map<String, String> data, String key) {
        if (!data.containsKey(key)) {
            errs.add(FieldError.required("data[" + key + "]", null));
        }
    }

    private static long decodedSize(String base64) {
        if (base64 == null) {
            return 0;
        }
        try {
            return Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return base64.length();
        }
    }

    static List<FieldError> configMapUpdate(ConfigMap now, ConfigMap old) {
        List<FieldError> errs = new ArrayList<>();
        if (Boolean.TRUE.equals(old.getImmutable())) {
            if (!Boolean.TRUE.equals(now.getImmutable())) {
                errs.add(FieldError.forbidden("immutable", IMMUTABLE));
            }
            if (!sameMap(now.getData(), old.getData())) {
                errs.add(FieldError.forbidden("data", IMMUTABLE));
            }
            if (!sameMap(now.getBinaryData(), old.getBinaryData())) {
                errs.add(FieldError.forbidden("binaryData", IMMUTABLE));
            }
        }
        return errs;
    }

    static List<FieldError> secretUpdate(Secret now, Secret old) {
        List<FieldError> errs = new ArrayList<>();
        Errs.immutable(errs, "type", blank(now.getType()), blank(old.getType()), Errs.q(now.getType()));
        if (Boolean.TRUE.equals(old.getImmutable())) {
            if (!Boolean.TRUE.equals(now.getImmutable())) {
                errs.add(FieldError.forbidden("immutable", IMMUTABLE));
            }
            if (!sameMap(now.getData(), old.getData())) {
                errs.add(FieldError.forbidden("data", IMMUTABLE));
            }
        }
        return errs;
    }

    static List<FieldError> namespace(Namespace ns) {
        List<FieldError> errs = MetaValidation.validate(ns.getMetadata(), false, MetaValidation.NameRule.LABEL);
        if (ns.getSpec() != null && ns.getSpec().getFinalizers() != null) {
            for (String given : ns.getSpec().getFinalizers()) {
                String f = given == null ? "" : given;
                Errs.each(errs, "spec.finalizers", Errs.q(f), Names.qualifiedName(f));
                if (!f.contains("/") && !f.equals("kubernetes")) {
                    errs.add(FieldError.invalid("spec.finalizers", Errs.q(f),
                            "name is neither a standard finalizer name nor is it fully qualified"));
                }
            }
        }
        return errs;
    }

    private static boolean sameMap(Map<String, String> a, Map<String, String> b) {
        return Objects.equals(a == null ? Map.of() : a, b == null ? Map.of() : b);
    }

    private static String blank(String s) {
        return s == null ? "" : s;
    }
}
