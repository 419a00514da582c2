package io.podvisor.runtime.net;

/**
 * An IPv4 CIDR such as {@code 10.88.0.0/16}: its network, gateway (first host address), broadcast
 * and the host addresses in between, by offset from the network address.
 */
record Ipv4Cidr(int network, int prefixLength) {

    Ipv4Cidr {
        if (prefixLength < 8 || prefixLength > 29) {
            throw new IllegalArgumentException("pod CIDR prefix length must be 8..29, not " + prefixLength);
        }
        if ((network & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("not a network address: " + format(network) + "/" + prefixLength);
        }
    }

    /** Parses {@code a.b.c.d/len}. */
    static Ipv4Cidr parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        try {
            return new Ipv4Cidr(parseAddress(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR: " + cidr, e);
        }
    }

    /** Parses a dotted quad. */
    static int parseAddress(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + s);
        }
        int a = 0;
        for (String p : parts) {
            int v = Integer.parseInt(p);
            if (v < 0 || v > 255 || p.isEmpty() || p.length() > 3) {
                throw new IllegalArgumentException("not an IPv4 address: " + s);
            }
            a = (a << 8) | v;
        }
        return a;
    }

    static String format(int a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    private static int mask(int len) {
        return len == 0 ? 0 : -1 << (32 - len);
    }

    /** The number of addresses, network and broadcast included. */
    int size() {
        return 1 << (32 - prefixLength);
    }

    /** The gateway: the first host address. */
    String gateway() {
        return address(1);
    }

    /** The address at {@code offset} from the network address. */
    String address(int offset) {
        return format(network + offset);
    }

    /** The offset of {@code address} if it is a pod address of this CIDR (not network, gateway or broadcast), else -1. */
    int podOffset(String address) {
        int a;
        try {
            a = parseAddress(address);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        int off = a - network;
        return (a & mask(prefixLength)) == network && off >= 2 && off < size() - 1 ? off : -1;
    }

    /** True when the two share an address (one holds the other). */
    boolean overlaps(Ipv4Cidr other) {
        return overlaps(other.network, other.prefixLength);
    }

    /** True when this shares an address with {@code address/length} (any length 0..32, e.g. a route's). */
    boolean overlaps(int address, int length) {
        int m = mask(Math.min(prefixLength, length));
        return (network & m) == (address & m);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefixLength;
    }
}
