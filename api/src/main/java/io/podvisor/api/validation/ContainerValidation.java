package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.podvisor.api.errors.FieldError;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks common to every container (main, init, sidecar), in upstream's order: name, image,
 * termination message policy, ports, env and envFrom ({@link EnvValidation}), volume mounts (with
 * sub-paths and propagation), pull policy, resources, security context.
 */
final class ContainerValidation {

    static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    private static final List<String> MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
    private static final List<String> PROPAGATIONS = List.of("Bidirectional", "HostToContainer", "None");
    private static final Set<String> STANDARD_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");

    private ContainerValidation() {}

    static List<FieldError> common(Container c, Set<String> volumes, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (!Errs.required(errs, path + ".name", c.getName())) {
            Errs.each(errs, path + ".name", Errs.q(c.getName()), Names.dns1123Label(c.getName()));
        }
        Errs.required(errs, path + ".image", c.getImage());
        oneOf(errs, path + ".terminationMessagePolicy", c.getTerminationMessagePolicy(), MESSAGE_POLICIES);
        errs.addAll(ports(c.getPorts(), path + ".ports"));
        EnvValidation.env(errs, c.getEnv(), path + ".env");
        EnvValidation.envFrom(errs, c.getEnvFrom(), path + ".envFrom");
        errs.addAll(mounts(c.getVolumeMounts(), volumes, path + ".volumeMounts", Boolean.TRUE.equals(
                c.getSecurityContext() == null ? null : c.getSecurityContext().getPrivileged())));
        oneOf(errs, path + ".imagePullPolicy", c.getImagePullPolicy(), PULL_POLICIES);
        errs.addAll(resources(c.getResources(), path + ".resources"));
        SecurityValidation.container(errs, c.getSecurityContext(), path + ".securityContext");
        return errs;
    }

    /** Required when empty, Unsupported when not one of {@code supported}. */
    static void oneOf(List<FieldError> errs, String path, String value, List<String> supported) {
        if (!Errs.required(errs, path, value) && !supported.contains(value)) {
            errs.add(FieldError.notSupported(path, Errs.q(value), supported));
        }
    }

    private static List<FieldError> ports(List<ContainerPort> ports, String path) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; ports != null && i < ports.size(); i++) {
            ContainerPort p = ports.get(i);
            String at = path + "[" + i + "]";
            if (p.getName() != null && !p.getName().isEmpty()) {
                List<String> msgs = Names.portName(p.getName());
                if (!msgs.isEmpty()) {
                    Errs.each(errs, at + ".name", Errs.q(p.getName()), msgs);
                } else if (!names.add(p.getName())) {
                    errs.add(FieldError.duplicate(at + ".name", Errs.q(p.getName())));
                }
            }
            int containerPort = p.getContainerPort() == null ? 0 : p.getContainerPort();
            if (containerPort == 0) {
                errs.add(FieldError.required(at + ".containerPort", null));
            } else {
                Errs.each(errs, at + ".containerPort", String.valueOf(containerPort), Names.portNumber(containerPort));
            }
            if (p.getHostPort() != null && p.getHostPort() != 0) {
                Errs.each(errs, at + ".hostPort", String.valueOf(p.getHostPort()), Names.portNumber(p.getHostPort()));
            }
            oneOf(errs, at + ".protocol", p.getProtocol(), PROTOCOLS);
        }
        return errs;
    }

    private static List<FieldError> mounts(List<VolumeMount> mounts, Set<String> volumes, String path, boolean privileged) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> mountPaths = new HashSet<>();
        for (int i = 0; mounts != null && i < mounts.size(); i++) {
            VolumeMount m = mounts.get(i);
            String at = path + "[" + i + "]";
            String name = m.getName() == null ? "" : m.getName();
            Errs.required(errs, at + ".name", name);
            if (!volumes.contains(name)) {
                errs.add(FieldError.notFound(at + ".name", Errs.q(name)));
            }
            String mountPath = m.getMountPath() == null ? "" : m.getMountPath();
            Errs.required(errs, at + ".mountPath", mountPath);
            if (!mountPaths.add(mountPath)) {
                errs.add(FieldError.invalid(at + ".mountPath", Errs.q(mountPath), "must be unique"));
            }
            subPaths(errs, m, path, at);
            String propagation = m.getMountPropagation();
            if (propagation != null && !PROPAGATIONS.contains(propagation)) {
                errs.add(FieldError.notSupported(at + ".mountPropagation", Errs.q(propagation), PROPAGATIONS));
            } else if ("Bidirectional".equals(propagation) && !privileged) {
                errs.add(FieldError.forbidden(at + ".mountPropagation",
                        "Bidirectional mount propagation is available only to privileged containers"));
            }
        }
        return errs;
    }

    /** As upstream, the paths of these errors name the list, not the mount ({@code volumeMounts.subPath}). */
    private static void subPaths(List<FieldError> errs, VolumeMount m, String path, String at) {
        String subPath = m.getSubPath() == null ? "" : m.getSubPath();
        if (!subPath.isEmpty()) {
            VolumeValidation.localDescendingPath(errs, subPath, path + ".subPath");
        }
        String expr = m.getSubPathExpr() == null ? "" : m.getSubPathExpr();
        if (!expr.isEmpty()) {
            if (!subPath.isEmpty()) {
                errs.add(FieldError.invalid(at + ".subPathExpr", Errs.q(expr), "subPathExpr and subPath are mutually exclusive"));
            }
            VolumeValidation.localDescendingPath(errs, expr, path + ".subPathExpr");
        }
    }

    private static List<FieldError> resources(ResourceRequirements r, String path) {
        List<FieldError> errs = new ArrayList<>();
        if (r == null) {
            return errs;
        }
        Map<String, Quantity> limits = r.getLimits() == null ? Map.of() : r.getLimits();
        limits.forEach((name, q) -> quantity(errs, name, q, path + ".limits[" + name + "]"));
        if (r.getRequests() == null) {
            return errs;
        }
        r.getRequests().forEach((name, q) -> {
            Optional<BigDecimal> request = quantity(errs, name, q, path + ".requests[" + name + "]");
            Quantity limit = limits.get(name);
            Optional<BigDecimal> limitValue = limit == null ? Optional.empty() : Quantities.value(limit);
            if (request.isPresent() && limitValue.isPresent() && request.get().compareTo(limitValue.get()) > 0) {
                errs.add(FieldError.invalid(path + ".requests", Errs.q(Quantities.canonical(Quantities.text(q))),
                        "must be less than or equal to " + name + " limit of " + Quantities.canonical(Quantities.text(limit))));
            }
        });
        return errs;
    }

    /** The resource name and quantity checks; the quantity's value when it parses. */
    private static Optional<BigDecimal> quantity(List<FieldError> errs, String name, Quantity q, String path) {
        Errs.each(errs, path, Errs.q(name), Names.qualifiedName(name));
        if (!name.contains("/") && !STANDARD_RESOURCES.contains(name) && !name.startsWith("hugepages-")) {
            errs.add(FieldError.invalid(path, Errs.q(name), "must be a standard resource for containers"));
        }
        String text = q == null ? "" : Quantities.text(q);
        Optional<BigDecimal> value = Quantities.parse(text).map(Quantities.Parsed::value);
        if (value.isEmpty()) {
            errs.add(FieldError.invalid(path, Errs.q(text), Quantities.FORMAT_ERROR));
        } else if (value.get().signum() < 0) {
            errs.add(FieldError.invalid(path, Errs.q(Quantities.canonical(text)), Errs.NEGATIVE));
        }
        return value;
    }
}
