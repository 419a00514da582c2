package io.podvisor.api.validation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.podvisor.api.Yaml;
import io.podvisor.api.errors.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Pod and pod-template spec rules in upstream's order: volumes (their sources by
 * {@link VolumeValidation}), containers, init containers (regular and sidecar), restart and DNS
 * policy, node selector, service account, deadline, security context, readiness gates, tolerations.
 */
final class PodValidation {

    static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    private static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    private static final String INIT_ONLY = "may not be set for init containers without restartPolicy=Always";
    private static final ObjectMapper JSON = Yaml.newJsonMapper();

    private PodValidation() {}

    static List<FieldError> pod(Pod pod) {
        List<FieldError> errs = MetaValidation.validate(pod.getMetadata(), true, MetaValidation.NameRule.SUBDOMAIN);
        errs.addAll(spec(pod.getSpec() == null ? new PodSpec() : pod.getSpec(), "spec"));
        return errs;
    }

    static List<FieldError> spec(PodSpec spec, String path) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> volumes = volumes(spec.getVolumes(), path + ".volumes", errs);
        Long grace = spec.getTerminationGracePeriodSeconds();
        errs.addAll(containers(spec.getContainers(), volumes, grace, path + ".containers"));
        errs.addAll(initContainers(spec, volumes, grace, path + ".initContainers"));
        ContainerValidation.oneOf(errs, path + ".restartPolicy", spec.getRestartPolicy(), RESTART_POLICIES);
        ContainerValidation.oneOf(errs, path + ".dnsPolicy", spec.getDnsPolicy(), DNS_POLICIES);
        Errs.nonNegative(errs, path + ".terminationGracePeriodSeconds", grace);
        errs.addAll(MetaValidation.labels(spec.getNodeSelector(), path + ".nodeSelector"));
        String sa = spec.getServiceAccountName();
        if (sa != null && !sa.isEmpty()) {
            Errs.each(errs, path + ".serviceAccountName", Errs.q(sa), Names.dns1123Subdomain(sa));
        }
        Long deadline = spec.getActiveDeadlineSeconds();
        if (deadline != null && (deadline < 1 || deadline > Integer.MAX_VALUE)) {
            errs.add(FieldError.invalid(path + ".activeDeadlineSeconds", String.valueOf(deadline),
                    Names.inclusiveRange(1, Integer.MAX_VALUE)));
        }
        SecurityValidation.pod(errs, spec.getSecurityContext(), path + ".securityContext");
        List<PodReadinessGate> gates = VolumeValidation.nonNull(spec.getReadinessGates());
        for (int i = 0; i < gates.size(); i++) {
            String type = gates.get(i).getConditionType() == null ? "" : gates.get(i).getConditionType();
            String at = path + ".readinessGates[" + i + "].conditionType";
            Errs.each(errs, at, Errs.q(type), Names.qualifiedName(type));
        }
        errs.addAll(Tolerations.validate(spec.getTolerations(), path + ".tolerations"));
        return errs;
    }

    /** Checks the volumes; returns the names of the valid ones (mounts may refer only to those). */
    private static Set<String> volumes(List<Volume> volumes, String path, List<FieldError> errs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; volumes != null && i < volumes.size(); i++) {
            Volume v = volumes.get(i);
            String at = path + "[" + i + "]";
            List<FieldError> own = new ArrayList<>(source(v, at));
            String name = v.getName() == null ? "" : v.getName();
            if (!Errs.required(own, at + ".name", name)) {
                Errs.each(own, at + ".name", Errs.q(name), Names.dns1123Label(name));
            }
            if (names.contains(name)) {
                own.add(FieldError.duplicate(at + ".name", Errs.q(name)));
            }
            if (own.isEmpty()) {
                names.add(name);
            } else {
                errs.addAll(own);
            }
        }
        return names;
    }

    private static List<FieldError> source(Volume v, String path) {
        List<FieldError> errs = new ArrayList<>();
        ObjectNode node = JSON.convertValue(v, ObjectNode.class);
        node.remove("name");
        List<String> types = new ArrayList<>();
        node.properties().forEach(e -> {
            if (!e.getValue().isNull()) {
                types.add(e.getKey());
            }
        });
        if (types.isEmpty()) {
            errs.add(FieldError.required(path, "must specify a volume type"));
            return errs;
        }
        for (String extra : types.subList(1, types.size())) {
            errs.add(FieldError.forbidden(path + "." + extra, "may not specify more than 1 volume type"));
        }
        VolumeValidation.source(errs, v, path);
        return errs;
    }

    private static List<FieldError> containers(List<Container> containers, Set<String> volumes, Long grace, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (containers == null || containers.isEmpty()) {
            errs.add(FieldError.required(path, null));
            return errs;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            String at = path + "[" + i + "]";
            errs.addAll(ContainerValidation.common(c, volumes, at));
            if (!names.add(c.getName() == null ? "" : c.getName())) {
                errs.add(FieldError.duplicate(at + ".name", Errs.q(c.getName())));
            }
            errs.addAll(hooksAndProbes(c, grace, at));
            if (c.getRestartPolicy() != null) {
                errs.add(FieldError.forbidden(at + ".restartPolicy", "may not be set for non-init containers"));
            }
        }
        return errs;
    }

    private static List<FieldError> initContainers(PodSpec spec, Set<String> volumes, Long grace, String path) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (spec.getContainers() != null) {
            spec.getContainers().forEach(c -> names.add(c.getName() == null ? "" : c.getName()));
        }
        List<Container> inits = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
        for (int i = 0; i < inits.size(); i++) {
            Container c = inits.get(i);
            String at = path + "[" + i + "]";
            errs.addAll(ContainerValidation.common(c, volumes, at));
            boolean sidecar = false;
            if (c.getRestartPolicy() != null) {
                if (!c.getRestartPolicy().equals("Always")) {
                    errs.add(FieldError.notSupported(at + ".restartPolicy", Errs.q(c.getRestartPolicy()), List.of("Always")));
                }
                sidecar = c.getRestartPolicy().equals("Always");
            }
            String name = c.getName() == null ? "" : c.getName();
            if (names.contains(name)) {
                errs.add(FieldError.duplicate(at + ".name", Errs.q(name)));
            } else if (!name.isEmpty()) {
                names.add(name);
            }
            if (sidecar) {
                errs.addAll(hooksAndProbes(c, grace, at));
            } else {
                forbidInit(errs, c.getLifecycle(), at + ".lifecycle");
                forbidInit(errs, c.getLivenessProbe(), at + ".livenessProbe");
                forbidInit(errs, c.getReadinessProbe(), at + ".readinessProbe");
                forbidInit(errs, c.getStartupProbe(), at + ".startupProbe");
            }
        }
        return errs;
    }

    private static void forbidInit(List<FieldError> errs, Object value, String path) {
        if (value != null) {
            errs.add(FieldError.forbidden(path, INIT_ONLY));
        }
    }

    private static List<FieldError> hooksAndProbes(Container c, Long grace, String at) {
        List<FieldError> errs = new ArrayList<>();
        if (c.getLifecycle() != null) {
            errs.addAll(ProbeValidation.lifecycle(c.getLifecycle(), grace, at + ".lifecycle"));
        }
        errs.addAll(ProbeValidation.liveness(c.getLivenessProbe(), grace, at + ".livenessProbe"));
        errs.addAll(ProbeValidation.readiness(c.getReadinessProbe(), grace, at + ".readinessProbe"));
        errs.addAll(ProbeValidation.startup(c.getStartupProbe(), grace, at + ".startupProbe"));
        return errs;
    }
}
