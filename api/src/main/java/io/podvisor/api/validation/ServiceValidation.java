package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.podvisor.api.errors.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Service rules: DNS-1035 name, ports (required unless headless or ExternalName, names required
 * and unique when several, number range, protocol, target port, no duplicate protocol/port pair),
 * selector labels, session affinity, type; on update the primary cluster IP may not change.
 */
final class ServiceValidation {

    private static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    private static final List<String> AFFINITIES = List.of("ClientIP", "None");

    private ServiceValidation() {}

    static List<FieldError> service(Service svc) {
        List<FieldError> errs = MetaValidation.validate(svc.getMetadata(), true, MetaValidation.NameRule.DNS1035);
        ServiceSpec spec = svc.getSpec() == null ? new ServiceSpec() : svc.getSpec();
        List<ServicePort> ports = spec.getPorts() == null ? List.of() : spec.getPorts();
        boolean headless = "None".equals(spec.getClusterIP());
        if (ports.isEmpty() && !headless && !"ExternalName".equals(spec.getType())) {
            errs.add(FieldError.required("spec.ports", null));
        }
        if ("ExternalName".equals(spec.getType())) {
            String name = spec.getExternalName() == null ? "" : spec.getExternalName();
            if (name.isEmpty()) {
                errs.add(FieldError.required("spec.externalName", null));
            } else {
                Errs.each(errs, "spec.externalName", Errs.q(name), Names.dns1123Subdomain(name.endsWith(".")
                        ? name.substring(0, name.length() - 1) : name));
            }
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            errs.addAll(port(ports.get(i), ports.size() > 1, names, "spec.ports[" + i + "]"));
        }
        errs.addAll(MetaValidation.labels(spec.getSelector(), "spec.selector"));
        ContainerValidation.oneOf(errs, "spec.sessionAffinity", spec.getSessionAffinity(), AFFINITIES);
        ContainerValidation.oneOf(errs, "spec.type", spec.getType(), TYPES);
        if ("ClusterIP".equals(spec.getType())) {
            for (int i = 0; i < ports.size(); i++) {
                if (ports.get(i).getNodePort() != null && ports.get(i).getNodePort() != 0) {
                    errs.add(FieldError.forbidden("spec.ports[" + i + "].nodePort", "may not be used when `type` is 'ClusterIP'"));
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort p = ports.get(i);
            String protocol = p.getProtocol() == null ? "" : p.getProtocol();
            int number = p.getPort() == null ? 0 : p.getPort();
            if (!seen.add(protocol + "/" + number)) {
                errs.add(FieldError.duplicate("spec.ports[" + i + "]", "core.ServicePort{Name:\"\", Protocol:" + Errs.q(protocol)
                        + ", AppProtocol:(*string)(nil), Port:" + number
                        + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}"));
            }
        }
        return errs;
    }

    private static List<FieldError> port(ServicePort p, boolean requireName, Set<String> names, String path) {
        List<FieldError> errs = new ArrayList<>();
        String name = p.getName() == null ? "" : p.getName();
        if (requireName && name.isEmpty()) {
            errs.add(FieldError.required(path + ".name", null));
        } else if (!name.isEmpty()) {
            Errs.each(errs, path + ".name", Errs.q(name), Names.dns1123Label(name));
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(path + ".name", Errs.q(name)));
            }
        }
        int number = p.getPort() == null ? 0 : p.getPort();
        Errs.each(errs, path + ".port", String.valueOf(number), Names.portNumber(number));
        ContainerValidation.oneOf(errs, path + ".protocol", p.getProtocol(), ContainerValidation.PROTOCOLS);
        errs.addAll(ProbeValidation.port(p.getTargetPort(), path + ".targetPort"));
        return errs;
    }

    static List<FieldError> update(Service now, Service old) {
        List<FieldError> errs = new ArrayList<>();
        ServiceSpec n = now.getSpec() == null ? new ServiceSpec() : now.getSpec();
        ServiceSpec o = old.getSpec() == null ? new ServiceSpec() : old.getSpec();
        if ("ExternalName".equals(n.getType()) || "ExternalName".equals(o.getType())) {
            return errs;
        }
        String newIp = primary(n);
        String oldIp = primary(o);
        if (!newIp.isEmpty() && !oldIp.isEmpty() && !newIp.equals(oldIp)) {
            errs.add(FieldError.invalid("spec.clusterIPs[0]", Errs.q(newIp), "may not change once set"));
        }
        return errs;
    }

    private static String primary(ServiceSpec s) {
        if (s.getClusterIPs() != null && !s.getClusterIPs().isEmpty()) {
            return s.getClusterIPs().getFirst();
        }
        return s.getClusterIP() == null ? "" : s.getClusterIP();
    }
}
