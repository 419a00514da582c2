package io.podvisor.runtime.net;

import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.linux.HostCommand;
import io.podvisor.runtime.linux.Namespaces;
import io.podvisor.runtime.linux.RouteNetlink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The pod network of one runtime instance: a Linux bridge holding the CIDR's first address (the
 * pods' gateway), and per sandbox a network namespace with loopback up and a veth pair, one end on
 * the bridge and the other as {@code eth0} in the namespace with an address from the CIDR. The host
 * reaches every pod at its address; pods reach each other over the bridge. No NAT or filter rule is
 * added: nothing routes pod traffic off the machine.
 *
 * <p>Names carry the instance's prefix so instances (and tests) never touch each other's: bridge
 * {@code <prefix>0}, namespaces {@code <prefix>-<sandbox id>}, host-side veths {@code <prefix><n>}
 * (at most 15 characters; {@code n} is the pod address's offset in the CIDR). Address allocations
 * are recorded under {@code stateDir} (one file per address, named by it, holding the sandbox id)
 * so a restart can find and remove what a previous run left.
 *
 * <p>An attach is done by the JVM: a thread of its own unshares the network namespace, and the
 * links, address and route are netlink requests ({@link Namespaces}, {@link RouteNetlink}); where
 * those calls cannot be made, by two {@code ip -batch} runs. Teardown and the leftover sweep use
 * {@code ip}. Thread-safe: allocation is an atomic file creation, and the rest touches only the
 * sandbox's own names.
 */
public final class PodNetworks implements AutoCloseable {

    /** The default pod CIDR: the first of {@link #AUTO_CIDRS}. */
    public static final String DEFAULT_CIDR = "10.88.0.0/16";

    /**
     * The pod CIDRs a node takes when none is given, in order: the first one no other node on the
     * host uses ({@code 10.88.0.0/16} … {@code 10.119.0.0/16}).
     */
    public static final List<String> AUTO_CIDRS = java.util.stream.IntStream.rangeClosed(88, 119)
            .mapToObj(b -> "10." + b + ".0.0/16").toList();

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,5}");
    private static final Pattern SANDBOX_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,200}");
    private static final Path NETNS_DIR = Path.of("/run/netns");

    /**
     * A sandbox's network.
     *
     * @param netnsPath    the namespace's bind-mounted file ({@code /run/netns/<name>}), for runc
     * @param ip           the pod's address
     * @param prefixLength the CIDR's prefix length
     */
    public record Attachment(String sandboxId, String netnsName, String netnsPath, String ip, String gateway,
                             int prefixLength) {}

    private final String prefix;
    private final Ipv4Cidr cidr;
    private final Path allocations;
    private final Pattern hostLink;

    /**
     * @param prefix   names this instance's bridge, namespaces and links (letters and digits, at most 6)
     * @param cidr     the pod CIDR, e.g. {@link #DEFAULT_CIDR}
     * @param stateDir where allocations are recorded
     */
    public PodNetworks(String prefix, String cidr, Path stateDir) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("network prefix must be a letter and up to 5 letters or digits: "
                    + prefix);
        }
        this.prefix = prefix;
        this.cidr = Ipv4Cidr.parse(cidr);
        this.allocations = stateDir.resolve("ipam");
        this.hostLink = Pattern.compile(Pattern.quote(prefix) + "[1-9][0-9]*");
    }

    /** True when CIDRs {@code a} and {@code b} share an address. */
    public static boolean overlap(String a, String b) {
        return Ipv4Cidr.parse(a).overlaps(Ipv4Cidr.parse(b));
    }

    /**
     * The CIDRs of {@link #AUTO_CIDRS} that no route of the host's main table reaches into (a
     * podman or docker bridge, a LAN): the candidates a node picks its pod CIDR from.
     */
    public static List<String> autoCidrsFreeOnHost() {
        return freeOf(AUTO_CIDRS, ip("-4", "route", "show").stdout());
    }

    /** Those of {@code candidates} that overlap no destination in {@code routes}, {@code ip -4 route show} text. */
    static List<String> freeOf(List<String> candidates, String routes) {
        List<int[]> taken = new ArrayList<>();
        for (String line : routes.split("\n")) {
            String[] f = line.strip().split("\\s+");
            String dst = f[f.length > 1 && ROUTE_TYPES.contains(f[0]) ? 1 : 0];
            if (dst.isEmpty() || dst.equals("default")) {
                continue;
            }
            String[] parts = dst.split("/");
            try {
                int length = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
                if (length >= 0 && length <= 32) {
                    taken.add(new int[] {Ipv4Cidr.parseAddress(parts[0]), length});
                }
            } catch (IllegalArgumentException e) {
                // not an IPv4 destination
            }
        }
        return candidates.stream().filter(c -> {
            Ipv4Cidr cidr = Ipv4Cidr.parse(c);
            return taken.stream().noneMatch(t -> cidr.overlaps(t[0], t[1]));
        }).toList();
    }

    private static final Set<String> ROUTE_TYPES = Set.of("unicast", "local", "broadcast", "multicast", "throw",
            "unreachable", "prohibit", "blackhole", "nat", "anycast");

    /**
     * Checks that {@code cidr} is a usable pod CIDR ({@code a.b.c.d/len}, a network address, length 8..29).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void checkCidr(String cidr) {
        Ipv4Cidr.parse(cidr);
    }

    /** The bridge's name, {@code <prefix>0}. */
    public String bridge() {
        return prefix + "0";
    }

    /** Creates the bridge if missing and brings it up with the gateway address. Idempotent. */
    public void setUp() throws RuntimeFailure {
        StringBuilder batch = new StringBuilder();
        if (!ip("-o", "link", "show", "dev", bridge()).ok()) {
            batch.append("link add ").append(bridge()).append(" type bridge\n");
        }
        batch.append("addr replace ").append(cidr.gateway()).append('/').append(cidr.prefixLength())
                .append(" dev ").append(bridge()).append('\n');
        batch.append("link set ").append(bridge()).append(" up\n");
        HostCommand.Result r = batch(List.of(), batch.toString(), false);
        if (!r.ok()) {
            throw new RuntimeFailure("failed to set up pod bridge " + bridge() + ": " + r.message());
        }
    }

    /** Creates the namespace, the veth pair and the address of a new sandbox. Nothing remains on failure. */
    public Attachment attach(String sandboxId) throws RuntimeFailure {
        if (!SANDBOX_ID.matcher(sandboxId).matches()) {
            throw new RuntimeFailure("cannot attach sandbox \"" + sandboxId + "\" to the pod network: bad id");
        }
        String ns = netnsName(sandboxId);
        if (Files.exists(NETNS_DIR.resolve(ns))) {
            throw new RuntimeFailure("cannot attach sandbox " + sandboxId + ": network namespace " + ns + " exists");
        }
        int offset = allocate(sandboxId);
        String link = prefix + offset;
        String address = cidr.address(offset);
        String failure;
        if (Namespaces.get().isPresent()) {
            failure = attachInProcess(Namespaces.get().get(), ns, link, address);
        } else {
            failure = attachWithIp(ns, link, address);
        }
        if (failure != null) {
            remove(ns, link);
            free(offset);
            throw new RuntimeFailure("failed to set up the network of sandbox " + sandboxId + ": " + failure);
        }
        return new Attachment(sandboxId, ns, NETNS_DIR.resolve(ns).toString(), address, cidr.gateway(),
                cidr.prefixLength());
    }

    /**
     * The namespace made by a thread of the JVM and set up over netlink, as {@code ip} would: no
     * child process. Returns null, or what failed.
     */
    private String attachInProcess(Namespaces calls, String ns, String link, String address) {
        try (RouteNetlink host = RouteNetlink.open()) {
            int bridgeIndex = calls.interfaceIndex(bridge());
            Files.createDirectories(NETNS_DIR);
            Path file = Files.createFile(NETNS_DIR.resolve(ns));
            calls.create(Namespaces.NET, Map.of(Namespaces.NET, file), null, netns -> {
                host.addVethPair(link, "eth0", netns);
                host.setUp(link, bridgeIndex);
                try (RouteNetlink inside = RouteNetlink.open()) {
                    inside.setUp("lo", 0);
                    int eth0 = calls.interfaceIndex("eth0");
                    inside.addAddress(eth0, address, cidr.prefixLength());
                    inside.setUp("eth0", 0);
                    inside.addDefaultRoute(cidr.gateway(), eth0);
                }
            });
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** The namespace and its links made by two {@code ip -batch} runs. Returns null, or what failed. */
    private String attachWithIp(String ns, String link, String address) {
        String host = "netns add " + ns + "\n"
                + "link add " + link + " type veth peer name eth0 netns " + ns + "\n"
                + "link set " + link + " master " + bridge() + "\n"
                + "link set " + link + " up\n";
        String inside = "link set lo up\n"
                + "addr add " + address + "/" + cidr.prefixLength() + " dev eth0\n"
                + "link set eth0 up\n"
                + "route add default via " + cidr.gateway() + " dev eth0\n";
        HostCommand.Result r = batch(List.of(), host, false);
        if (r.ok()) {
            r = batch(List.of("-n", ns), inside, false);
        }
        return r.ok() ? null : r.message();
    }

    /** Deletes a sandbox's namespace and link and frees its address. Idempotent; never throws. */
    public void detach(String sandboxId) {
        if (!SANDBOX_ID.matcher(sandboxId).matches()) {
            return;
        }
        List<Integer> offsets = allocationsOf(sandboxId);
        String ns = netnsName(sandboxId);
        if (offsets.isEmpty() && !Files.exists(NETNS_DIR.resolve(ns))) {
            return;
        }
        for (int offset : offsets) {
            remove(null, prefix + offset);
        }
        remove(ns, null);
        offsets.forEach(this::free);
    }

    /** Deletes every namespace, link and allocation of this prefix (a previous run's leftovers). */
    public void removeLeftovers() {
        StringBuilder batch = new StringBuilder();
        for (String link : hostLinks()) {
            batch.append("link del ").append(link).append('\n');
        }
        for (String ns : namespaces()) {
            batch.append("netns del ").append(ns).append('\n');
        }
        if (!batch.isEmpty()) {
            batch(List.of(), batch.toString(), true);
        }
        try (Stream<Path> s = Files.list(allocations)) {
            for (Path f : s.toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // nothing recorded
        }
    }

    /** Detaches every sandbox and deletes the bridge. */
    @Override
    public void close() {
        removeLeftovers();
        if (ip("-o", "link", "show", "dev", bridge()).ok()) {
            ip("link", "del", bridge());
        }
    }

    private String netnsName(String sandboxId) {
        return prefix + "-" + sandboxId;
    }

    /** Records the lowest free pod address for {@code sandboxId}; returns its offset. */
    private int allocate(String sandboxId) throws RuntimeFailure {
        try {
            Files.createDirectories(allocations);
            Set<Integer> used = recordedFiles().keySet();
            for (int off = 2; off < cidr.size() - 1; off++) {
                if (used.contains(off)) {
                    continue;
                }
                try {
                    Files.writeString(allocations.resolve(cidr.address(off)), sandboxId, StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                    return off;
                } catch (FileAlreadyExistsException taken) {
                    // another attach took it first
                }
            }
        } catch (IOException e) {
            throw new RuntimeFailure("cannot record a pod address under " + allocations + ": " + e.getMessage(), e);
        }
        throw new RuntimeFailure("no free address left in pod CIDR " + cidr);
    }

    private void free(int offset) {
        try {
            Files.deleteIfExists(allocations.resolve(cidr.address(offset)));
        } catch (IOException e) {
            // removeLeftovers deletes it later
        }
    }

    private record Allocation(int offset, String sandboxId) {}

    /** The recorded addresses' files by offset (the names alone: nothing is read). */
    private Map<Integer, Path> recordedFiles() throws IOException {
        Map<Integer, Path> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(allocations)) {
            for (Path f : s.toList()) {
                int off = cidr.podOffset(f.getFileName().toString());
                if (off > 0) {
                    files.put(off, f);
                }
            }
        }
        return files;
    }

    private List<Allocation> recorded() {
        List<Allocation> out = new ArrayList<>();
        try {
            recordedFiles().forEach((off, f) -> out.add(new Allocation(off, readQuietly(f))));
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private List<Integer> allocationsOf(String sandboxId) {
        return recorded().stream().filter(a -> a.sandboxId().equals(sandboxId)).map(Allocation::offset).toList();
    }

    private static String readQuietly(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Deletes a host link (which takes its peer along) and a namespace, whichever is given; ignores absence. */
    private void remove(String ns, String link) {
        StringBuilder batch = new StringBuilder();
        if (link != null) {
            batch.append("link del ").append(link).append('\n');
        }
        if (ns != null) {
            batch.append("netns del ").append(ns).append('\n');
        }
        batch(List.of(), batch.toString(), true);
    }

    /** The host-side veths of this prefix ({@code <prefix><n>}, not the bridge). */
    private List<String> hostLinks() {
        List<String> out = new ArrayList<>();
        for (String line : ip("-o", "link", "show").stdout().split("\n")) {
            String[] f = line.split(":\\s+", 3);
            if (f.length >= 2) {
                String name = f[1].contains("@") ? f[1].substring(0, f[1].indexOf('@')) : f[1];
                if (hostLink.matcher(name).matches()) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /** The namespaces of this prefix. */
    private List<String> namespaces() {
        List<String> out = new ArrayList<>();
        for (String line : ip("netns", "list").stdout().split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(prefix + "-")) {
                out.add(name);
            }
        }
        return out;
    }

    private static HostCommand.Result ip(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("ip");
        argv.addAll(List.of(args));
        try {
            return HostCommand.run(argv);
        } catch (IOException e) {
            return new HostCommand.Result(-1, "", String.valueOf(e.getMessage()));
        }
    }

    /** Runs {@code ip [options] -batch -} on {@code commands}; with {@code force}, past failing lines. */
    private static HostCommand.Result batch(List<String> options, String commands, boolean force) {
        List<String> argv = new ArrayList<>();
        argv.add("ip");
        argv.addAll(options);
        if (force) {
            argv.add("-force");
        }
        argv.add("-batch");
        argv.add("-");
        try {
            return HostCommand.run(argv, commands);
        } catch (IOException e) {
            return new HostCommand.Result(-1, "", String.valueOf(e.getMessage()));
        }
    }
}
