package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.podvisor.api.errors.FieldError;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Upstream's rules for Endpoints (each subset has addresses, addresses are IPs, hostnames labels,
 * ports named when several, in range, with a protocol), EndpointSlices (address type, one to a
 * hundred addresses of that type per endpoint, ports) and Leases (a positive duration,
 * non-negative transitions).
 */
final class NetworkValidation {

    static final String IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
    private static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
    private static final int MAX_ADDRESSES = 100;

    private NetworkValidation() {}

    static List<FieldError> endpoints(Endpoints ep) {
        List<FieldError> errs = MetaValidation.validate(ep.getMetadata(), true, MetaValidation.NameRule.SUBDOMAIN);
        List<EndpointSubset> subsets = VolumeValidation.nonNull(ep.getSubsets());
        for (int i = 0; i < subsets.size(); i++) {
            EndpointSubset ss = subsets.get(i);
            String at = "subsets[" + i + "]";
            List<EndpointAddress> ready = VolumeValidation.nonNull(ss.getAddresses());
            List<EndpointAddress> notReady = VolumeValidation.nonNull(ss.getNotReadyAddresses());
            if (ready.isEmpty() && notReady.isEmpty()) {
                errs.add(FieldError.required(at, "must specify `addresses` or `notReadyAddresses`"));
            }
            for (int a = 0; a < ready.size(); a++) {
                address(errs, ready.get(a), at + ".addresses[" + a + "]");
            }
            for (int a = 0; a < notReady.size(); a++) {
                address(errs, notReady.get(a), at + ".notReadyAddresses[" + a + "]");
            }
            List<EndpointPort> ports = VolumeValidation.nonNull(ss.getPorts());
            for (int p = 0; p < ports.size(); p++) {
                EndpointPort port = ports.get(p);
                port(errs, port.getName(), port.getPort() == null ? 0 : port.getPort(), port.getProtocol(), ports.size() > 1,
                        at + ".ports[" + p + "]");
            }
        }
        return errs;
    }

    private static void address(List<FieldError> errs, EndpointAddress a, String path) {
        String ip = a.getIp() == null ? "" : a.getIp();
        if (parse(ip) == null) {
            errs.add(FieldError.invalid(path + ".ip", Errs.q(ip), IP));
        }
        if (a.getHostname() != null && !a.getHostname().isEmpty()) {
            Errs.each(errs, path + ".hostname", Errs.q(a.getHostname()), Names.dns1123Label(a.getHostname()));
        }
        if (a.getNodeName() != null) {
            Errs.each(errs, path + ".nodeName", Errs.q(a.getNodeName()), Names.dns1123Subdomain(a.getNodeName()));
        }
    }

    /** An Endpoints or EndpointSlice port; {@code number} null when unset (only a slice's may be). */
    private static void port(List<FieldError> errs, String name, Integer number, String protocol, boolean requireName,
            String path) {
        String n = name == null ? "" : name;
        if (requireName && n.isEmpty()) {
            errs.add(FieldError.required(path + ".name", null));
        } else if (!n.isEmpty()) {
            Errs.each(errs, path + ".name", Errs.q(n), Names.dns1123Label(n));
        }
        if (number != null) {
            Errs.each(errs, path + ".port", String.valueOf(number), Names.portNumber(number));
        }
        ContainerValidation.oneOf(errs, path + ".protocol", protocol, ContainerValidation.PROTOCOLS);
    }

    static List<FieldError> endpointSlice(EndpointSlice slice) {
        List<FieldError> errs = MetaValidation.validate(slice.getMetadata(), true, MetaValidation.NameRule.SUBDOMAIN);
        String type = slice.getAddressType() == null ? "" : slice.getAddressType();
        if (type.isEmpty()) {
            errs.add(FieldError.required("addressType", null));
        } else if (!ADDRESS_TYPES.contains(type)) {
            errs.add(FieldError.notSupported("addressType", Errs.q(type), ADDRESS_TYPES));
        }
        List<Endpoint> endpoints = VolumeValidation.nonNull(slice.getEndpoints());
        for (int i = 0; i < endpoints.size(); i++) {
            String at = "endpoints[" + i + "].addresses";
            List<String> addresses = VolumeValidation.nonNull(endpoints.get(i).getAddresses());
            if (addresses.isEmpty()) {
                errs.add(FieldError.required(at, "must contain at least 1 address"));
            } else if (addresses.size() > MAX_ADDRESSES) {
                errs.add(new FieldError(FieldError.TOO_MANY, at, String.valueOf(addresses.size()),
                        "must have at most " + MAX_ADDRESSES + " items"));
            }
            for (int a = 0; a < addresses.size() && a < MAX_ADDRESSES; a++) {
                sliceAddress(errs, type, addresses.get(a), at + "[" + a + "]");
            }
        }
        var ports = VolumeValidation.nonNull(slice.getPorts());
        for (int p = 0; p < ports.size(); p++) {
            var port = ports.get(p);
            port(errs, port.getName(), port.getPort(), port.getProtocol(), false, "ports[" + p + "]");
        }
        return errs;
    }

    private static void sliceAddress(List<FieldError> errs, String type, String address, String path) {
        String a = address == null ? "" : address;
        InetAddress ip = parse(a);
        switch (type) {
            case "IPv4" -> {
                if (!(ip instanceof Inet4Address)) {
                    errs.add(FieldError.invalid(path, Errs.q(a), "must be a valid IPv4 address"));
                }
            }
            case "IPv6" -> {
                if (!(ip instanceof Inet6Address)) {
                    errs.add(FieldError.invalid(path, Errs.q(a), "must be a valid IPv6 address"));
                }
            }
            case "FQDN" -> Errs.each(errs, path, Errs.q(a), Names.dns1123Subdomain(a));
            default -> { }
        }
    }

    static List<FieldError> lease(Lease lease) {
        List<FieldError> errs = MetaValidation.validate(lease.getMetadata(), true, MetaValidation.NameRule.SUBDOMAIN);
        LeaseSpec spec = lease.getSpec();
        if (spec == null) {
            return errs;
        }
        if (spec.getLeaseDurationSeconds() != null && spec.getLeaseDurationSeconds() <= 0) {
            errs.add(FieldError.invalid("spec.leaseDurationSeconds", String.valueOf(spec.getLeaseDurationSeconds()),
                    "must be greater than 0"));
        }
        Errs.nonNegative(errs, "spec.leaseTransitions", spec.getLeaseTransitions());
        if (spec.getPreferredHolder() != null && !spec.getPreferredHolder().isEmpty()
                && (spec.getStrategy() == null || spec.getStrategy().isEmpty())) {
            errs.add(FieldError.forbidden("spec.preferredHolder", "may only be specified if `strategy` is defined"));
        }
        return errs;
    }

    /** An IP literal, or null (never a name lookup). */
    private static InetAddress parse(String s) {
        try {
            return s.isEmpty() ? null : InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
