package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.podvisor.api.errors.FieldError;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Nodes (taints with a valid key, value and effect, unique by key and effect; capacity and
 * allocatable not negative) and core/v1 Events (the involved object in the event's namespace, as
 * upstream's legacy event validation requires), with upstream's paths and messages.
 */
final class ClusterValidation {

    private static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    private ClusterValidation() {}

    static List<FieldError> node(Node node) {
        List<FieldError> errs = MetaValidation.validate(node.getMetadata(), false, MetaValidation.NameRule.SUBDOMAIN);
        List<Taint> taints = node.getSpec() == null ? List.of() : VolumeValidation.nonNull(node.getSpec().getTaints());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < taints.size(); i++) {
            Taint t = taints.get(i);
            String at = "spec.taints[" + i + "]";
            String key = t.getKey() == null ? "" : t.getKey();
            Errs.each(errs, at + ".key", Errs.q(key), Names.qualifiedName(key));
            String value = t.getValue() == null ? "" : t.getValue();
            List<String> msgs = Names.labelValue(value);
            if (!msgs.isEmpty()) {
                errs.add(FieldError.invalid(at + ".value", Errs.q(value), String.join(";", msgs)));
            }
            String effect = t.getEffect() == null ? "" : t.getEffect();
            if (effect.isEmpty()) {
                errs.add(FieldError.required(at + ".effect", null));
            } else if (!TAINT_EFFECTS.contains(effect)) {
                errs.add(FieldError.notSupported(at + ".effect", Errs.q(effect), TAINT_EFFECTS));
            }
            if (!seen.add(effect + "\u0000" + key)) {
                errs.add(new FieldError(FieldError.DUPLICATE, at, "core.Taint{Key:" + Errs.q(key) + ", Value:" + Errs.q(value)
                        + ", Effect:" + Errs.q(effect) + ", TimeAdded:<nil>}", "taints must be unique by key and effect pair"));
            }
        }
        if (node.getStatus() != null) {
            nonNegative(errs, node.getStatus().getCapacity(), "status.capacity.");
            nonNegative(errs, node.getStatus().getAllocatable(), "status.allocatable.");
        }
        return errs;
    }

    private static void nonNegative(List<FieldError> errs, Map<String, Quantity> resources, String path) {
        if (resources == null) {
            return;
        }
        resources.forEach((name, q) -> {
            if (q != null && Quantities.value(q).map(v -> v.signum() < 0).orElse(false)) {
                errs.add(FieldError.invalid(path + name, Errs.q(Quantities.canonical(Quantities.text(q))), Errs.NEGATIVE));
            }
        });
    }

    static List<FieldError> event(Event event) {
        List<FieldError> errs = MetaValidation.validate(event.getMetadata(), true, MetaValidation.NameRule.SUBDOMAIN);
        String namespace = event.getMetadata() == null || event.getMetadata().getNamespace() == null
                ? "" : event.getMetadata().getNamespace();
        String involved = event.getInvolvedObject() == null || event.getInvolvedObject().getNamespace() == null
                ? "" : event.getInvolvedObject().getNamespace();
        boolean legacy = event.getEventTime() == null || event.getEventTime().getTime() == null;
        if (legacy && (involved.isEmpty() ? !namespace.isEmpty() && !namespace.equals("default") : !involved.equals(namespace))) {
            errs.add(FieldError.invalid("involvedObject.namespace", Errs.q(involved), "does not match event.namespace"));
        }
        return errs;
    }

    /**
     * An events.k8s.io/v1 Event: upstream's rules for events of the new API (event time, reporting
     * controller and instance, action, reason, type, and the lengths of each).
     */
    static List<FieldError> event(io.fabric8.kubernetes.api.model.events.v1.Event event) {
        List<FieldError> errs = MetaValidation.validate(event.getMetadata(), true, MetaValidation.NameRule.SUBDOMAIN);
        if (event.getEventTime() == null || event.getEventTime().getTime() == null || event.getEventTime().getTime().isEmpty()) {
            errs.add(FieldError.required("eventTime", null));
        }
        String type = event.getType() == null ? "" : event.getType();
        if (!type.equals("Normal") && !type.equals("Warning")) {
            errs.add(FieldError.invalid("type", "\"\"", "has invalid value: " + type));
        }
        String controller = event.getReportingController() == null ? "" : event.getReportingController();
        if (controller.isEmpty()) {
            errs.add(FieldError.required("reportingController", null));
        }
        Errs.each(errs, "reportingController", Errs.q(controller), Names.qualifiedName(controller));
        limited(errs, "reportingInstance", event.getReportingInstance(), 128, true);
        limited(errs, "action", event.getAction(), 128, true);
        limited(errs, "reason", event.getReason(), 128, true);
        limited(errs, "note", event.getNote(), 1024, false);
        return errs;
    }

    private static void limited(List<FieldError> errs, String path, String value, int limit, boolean required) {
        String v = value == null ? "" : value;
        if (required && v.isEmpty()) {
            errs.add(FieldError.required(path, null));
        }
        if (v.length() > limit) {
            errs.add(FieldError.invalid(path, "\"\"", "can have at most " + limit + " characters"));
        }
    }
}
