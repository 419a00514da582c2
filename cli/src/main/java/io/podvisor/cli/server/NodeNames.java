package io.podvisor.cli.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** A node's default name: the host name in lower case (as upstream's kubelet), else {@code podvisor}. */
public final class NodeNames {

    private NodeNames() {}

    /** The host name in lower case, else {@code podvisor}. */
    public static String hostName() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
            if (!h.isEmpty()) {
                return h.toLowerCase(Locale.ROOT);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through to the environment
        }
        String env = System.getenv("HOSTNAME");
        return env != null && !env.isBlank() ? env.toLowerCase(Locale.ROOT) : "podvisor";
    }
}
