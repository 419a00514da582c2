package io.podvisor.runtime.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a sandbox's containers see at {@code /etc/hosts}, {@code /etc/resolv.conf} and
 * {@code /etc/hostname}. A pod with its own network gets the kubelet's managed hosts file (its
 * address mapped to its hostname); a host-network pod gets a copy of the host's {@code /etc/hosts}.
 * {@code resolv.conf} is a copy of the host's.
 */
final class PodFiles {

    static final String HOSTS = "hosts";
    static final String RESOLV_CONF = "resolv.conf";
    static final String HOSTNAME = "hostname";

    private static final Path HOST_HOSTS = Path.of("/etc/hosts");
    private static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");

    private PodFiles() {}

    /** The kubelet's managed hosts file for a pod at {@code ip} named {@code hostname}. */
    static String managedHosts(String ip, String hostname) {
        return "# Kubernetes-managed hosts file.\n"
                + "127.0.0.1\tlocalhost\n"
                + "::1\tlocalhost ip6-localhost ip6-loopback\n"
                + "fe00::0\tip6-localnet\n"
                + "fe00::0\tip6-mcastprefix\n"
                + "fe00::1\tip6-allnodes\n"
                + "fe00::2\tip6-allrouters\n"
                + ip + "\t" + hostname + "\n";
    }

    /** Writes the three files into {@code dir}. {@code ip} is null for a host-network pod. */
    static void write(Path dir, String ip, String hostname) throws IOException {
        if (ip == null) {
            Files.writeString(dir.resolve(HOSTS), readOr(HOST_HOSTS, managedHosts("127.0.0.1", hostname)));
        } else {
            Files.writeString(dir.resolve(HOSTS), managedHosts(ip, hostname));
        }
        Files.writeString(dir.resolve(RESOLV_CONF), readOr(HOST_RESOLV_CONF, ""));
        Files.writeString(dir.resolve(HOSTNAME), hostname + "\n");
    }

    private static String readOr(Path file, String fallback) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return fallback;
        }
    }
}
