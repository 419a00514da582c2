package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.Toleration;
import io.podvisor.api.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Toleration rules (key, operator/value, effect) and the update rule "only additions". */
final class Tolerations {

    private static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    private Tolerations() {}

    static List<FieldError> validate(List<Toleration> tolerations, String path) {
        List<FieldError> errs = new ArrayList<>();
        for (int i = 0; tolerations != null && i < tolerations.size(); i++) {
            Toleration t = tolerations.get(i);
            String at = path + "[" + i + "]";
            String key = blank(t.getKey());
            String operator = blank(t.getOperator());
            String effect = blank(t.getEffect());
            String value = blank(t.getValue());
            if (!key.isEmpty()) {
                Errs.each(errs, at + ".key", Errs.q(key), Names.qualifiedName(key));
            }
            if (key.isEmpty() && !operator.equals("Exists")) {
                errs.add(FieldError.invalid(at + ".operator", Errs.q(operator),
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }
            if (t.getTolerationSeconds() != null && !effect.equals("NoExecute")) {
                errs.add(FieldError.invalid(at + ".effect", Errs.q(effect),
                        "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            }
            switch (operator) {
                case "Equal", "" -> {
                    List<String> msgs = Names.labelValue(value);
                    if (!msgs.isEmpty()) {
                        errs.add(FieldError.invalid(at + ".operator", Errs.q(value), String.join(";", msgs)));
                    }
                }
                case "Exists" -> {
                    if (!value.isEmpty()) {
                        errs.add(FieldError.invalid(at + ".operator", render(t), "value must be empty when `operator` is 'Exists'"));
                    }
                }
                default -> errs.add(FieldError.notSupported(at + ".operator", Errs.q(operator), List.of("Equal", "Exists")));
            }
            if (!effect.isEmpty() && !EFFECTS.contains(effect)) {
                errs.add(FieldError.notSupported(at + ".effect", Errs.q(effect), EFFECTS));
            }
        }
        return errs;
    }

    /** On pod update: every old toleration must still be there (its tolerationSeconds may change). */
    static List<FieldError> onlyAdded(List<Toleration> now, List<Toleration> old, String path) {
        List<FieldError> errs = new ArrayList<>();
        List<Toleration> current = now == null ? List.of() : now;
        for (Toleration o : old == null ? List.<Toleration>of() : old) {
            boolean found = current.stream().anyMatch(n -> sameExceptSeconds(o, n));
            if (!found) {
                errs.add(FieldError.forbidden(path, "existing toleration can not be modified except its tolerationSeconds"));
                return errs;
            }
        }
        errs.addAll(validate(now, path));
        return errs;
    }

    private static boolean sameExceptSeconds(Toleration a, Toleration b) {
        return blank(a.getKey()).equals(blank(b.getKey())) && blank(a.getOperator()).equals(blank(b.getOperator()))
                && blank(a.getValue()).equals(blank(b.getValue())) && blank(a.getEffect()).equals(blank(b.getEffect()));
    }

    /** Go's {@code %#v} of a toleration, as upstream prints it in one message. */
    private static String render(Toleration t) {
        String seconds = t.getTolerationSeconds() == null ? "(*int64)(nil)" : "(*int64)(" + t.getTolerationSeconds() + ")";
        return "core.Toleration{Key:" + Errs.q(t.getKey()) + ", Operator:" + Errs.q(t.getOperator()) + ", Value:"
                + Errs.q(t.getValue()) + ", Effect:" + Errs.q(t.getEffect()) + ", TolerationSeconds:" + seconds + "}";
    }

    static String blank(String s) {
        return Objects.requireNonNullElse(s, "");
    }
}
