package io.podvisor.api.printers;

import static io.podvisor.api.printers.Columns.list;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.podvisor.api.printers.Tables.Column;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Endpoints (Name | Endpoints | Age) and EndpointSlices (Name | AddressType | Ports | Endpoints |
 * Age). Lists show at most three entries then {@code + N more...}.
 *
 * <p>An Endpoints object lists {@code ip:port} for each ready address ({@code subsets[].addresses};
 * not-ready addresses are never shown) and each port, or the bare IP for a subset without ports;
 * {@code <none>} without subsets. An EndpointSlice lists port numbers (else the port name, else
 * {@code *}) and every endpoint address whatever its conditions; an empty list prints
 * {@code <unset>}.
 */
final class EndpointPrinters {

    private static final int MAX = 3;

    private EndpointPrinters() {}

    /** Core v1 Endpoints. */
    static final class EndpointsPrinter implements KindPrinter {

        private static final List<Column> COLUMNS = List.of(
                Columns.name(),
                Columns.column("Endpoints", "The set of all endpoints is the union of all subsets. Addresses are "
                        + "placed into subsets according to the IPs they share. A single address with multiple ports, "
                        + "some of which are ready and some of which are not (because they come from different "
                        + "containers) will result in the address being displayed in different subsets for the "
                        + "different ports. No address will appear in both Addresses and NotReadyAddresses in the "
                        + "same subset. Sets of addresses and ports that comprise a service."),
                Columns.age());

        @Override
        public List<Column> columns() {
            return COLUMNS;
        }

        @Override
        public List<Object> cells(HasMetadata object, Instant now) {
            Endpoints ep = Columns.as(object, Endpoints.class);
            return List.of(Columns.name(ep), format(list(ep.getSubsets())), Columns.age(ep, now));
        }

        static String format(List<EndpointSubset> subsets) {
            if (subsets.isEmpty()) {
                return Columns.NONE;
            }
            List<String> shown = new ArrayList<>();
            boolean more = false;
            int count = 0;
            for (EndpointSubset ss : subsets) {
                List<EndpointAddress> addresses = list(ss.getAddresses());
                List<EndpointPort> ports = list(ss.getPorts());
                if (ports.isEmpty()) {
                    count += addresses.size();
                    more |= add(shown, addresses, null);
                    continue;
                }
                for (EndpointPort port : ports) {
                    count += addresses.size();
                    more |= add(shown, addresses, Columns.orZero(port.getPort()));
                }
            }
            String joined = String.join(",", shown);
            return more ? joined + " + " + (count - MAX) + " more..." : joined;
        }

        /** Appends addresses until the list is full; true if one did not fit. */
        private static boolean add(List<String> shown, List<EndpointAddress> addresses, Integer port) {
            for (EndpointAddress a : addresses) {
                if (shown.size() == MAX) {
                    return true;
                }
                String ip = Columns.orEmpty(a.getIp());
                shown.add(port == null ? ip : hostPort(ip, port));
            }
            return false;
        }

        /** {@code host:port}, bracketing IPv6 hosts as net.JoinHostPort does. */
        private static String hostPort(String host, int port) {
            return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    /** discovery.k8s.io/v1 EndpointSlices. */
    static final class EndpointSlicePrinter implements KindPrinter {

        private static final List<Column> COLUMNS = List.of(
                Columns.name(),
                Columns.column("AddressType", "addressType specifies the type of address carried by this "
                        + "EndpointSlice. All addresses in this slice must be the same type. CAUTION: This field is "
                        + "immutable after creation. The following address types are currently supported: * IPv4: "
                        + "Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully "
                        + "Qualified Domain Name."),
                Columns.column("Ports", "ports specifies the list of network ports exposed by each endpoint in this "
                        + "slice. Each port must have a unique name. When ports is empty, it indicates that there are "
                        + "no defined ports. When a port is defined with a nil port value, it indicates \"all "
                        + "ports\". Each slice may include a maximum of 100 ports."),
                Columns.column("Endpoints", "endpoints is a list of unique endpoints in this slice. Each slice may "
                        + "include a maximum of 1000 endpoints."),
                Columns.age());

        @Override
        public List<Column> columns() {
            return COLUMNS;
        }

        @Override
        public List<Object> cells(HasMetadata object, Instant now) {
            EndpointSlice slice = Columns.as(object, EndpointSlice.class);
            List<String> ports = new ArrayList<>();
            for (io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort p : list(slice.getPorts())) {
                ports.add(p.getPort() != null ? p.getPort().toString() : p.getName() != null ? p.getName() : "*");
            }
            List<String> addresses = new ArrayList<>();
            for (Endpoint e : list(slice.getEndpoints())) {
                addresses.addAll(list(e.getAddresses()));
            }
            return List.of(Columns.name(slice), Columns.orEmpty(slice.getAddressType()), withMore(ports),
                    withMore(addresses), Columns.age(slice, now));
        }

        /** The first three entries, {@code + N more...} past them, {@code <unset>} when empty. */
        static String withMore(List<String> all) {
            if (all.isEmpty()) {
                return "<unset>";
            }
            String joined = String.join(",", all.subList(0, Math.min(MAX, all.size())));
            return all.size() > MAX ? joined + " + " + (all.size() - MAX) + " more..." : joined;
        }
    }
}
