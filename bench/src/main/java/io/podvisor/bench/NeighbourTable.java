package io.podvisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's IPv4 neighbour (ARP) table limits. The host keeps one entry per pod address it talks
 * to (every HTTP probe), and past {@code gc_thresh2} (512 by default) the kernel refuses new ones
 * ("neighbor table overflow"): probes of the 513th pod time out. A node meant for more pods needs
 * higher limits, as large Kubernetes nodes do.
 */
final class NeighbourTable {

    private static final Path DIR = Path.of("/proc/sys/net/ipv4/neigh/default");

    private NeighbourTable() {}

    /** Raises the limits to fit {@code pods} addresses with room; returns "name=old" entries to restore. */
    static List<String> fit(int pods) throws IOException {
        List<String> old = new ArrayList<>();
        long[] wanted = {pods, 4L * pods, 8L * pods};
        String[] names = {"gc_thresh1", "gc_thresh2", "gc_thresh3"};
        for (int i = 0; i < names.length; i++) {
            Path f = DIR.resolve(names[i]);
            long now = read(f);
            if (now < wanted[i]) {
                old.add(names[i] + "=" + now);
                Files.writeString(f, Long.toString(wanted[i]));
            }
        }
        return old;
    }

    /**
     * The value in sysctl file {@code f}, read by lines: {@code Files.readString} got only the first
     * byte of these files here ("1" of "128"), so a restore would have written that back.
     */
    private static long read(Path f) throws IOException {
        return Long.parseLong(Files.readAllLines(f).getFirst().strip());
    }

    static void restore(List<String> old) throws IOException {
        for (String entry : old.reversed()) {
            String[] kv = entry.split("=");
            Files.writeString(DIR.resolve(kv[0]), kv[1]);
        }
    }
}
