package io.podvisor.runtime.runc;

import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.image.ImageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's first process as the OCI config gives it: argv, environment, working directory and
 * user, resolved from the container's settings over the image's.
 *
 * <p>Users: {@code runAsUser}/{@code runAsGroup} win; else the image's {@code User}, which may be
 * {@code uid}, {@code uid:gid}, {@code name} or {@code name:group} (names are looked up in the image's
 * {@code /etc/passwd} and {@code /etc/group}). A user without a group gets the primary group from
 * {@code /etc/passwd}, else 0.
 */
record ContainerProcess(List<String> args, List<String> env, String cwd, long uid, long gid) {

    /** The PATH a container gets when neither the image nor the pod sets one (containerd's default). */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Resolves the process of {@code config} started from {@code image}, with {@code HOSTNAME} set. */
    static ContainerProcess resolve(ImageConfig image, ContainerConfig config, String hostname) throws RuntimeFailure {
        List<String> args = args(image.entrypoint(), image.cmd(), config.command(), config.args());
        if (args.isEmpty()) {
            throw new RuntimeFailure("no command specified");
        }
        String cwd = !config.workingDir().isEmpty() ? config.workingDir()
                : !image.workingDir().isEmpty() ? image.workingDir() : "/";
        if (!cwd.startsWith("/")) {
            throw new RuntimeFailure("working directory \"" + cwd + "\" is not an absolute path");
        }
        long[] user = user(image, config);
        return new ContainerProcess(args, env(image.env(), config.env(), hostname), cwd, user[0], user[1]);
    }

    /**
     * Upstream's rule: no command means the image's entrypoint; no command and no args means
     * entrypoint + cmd; args without a command go after the entrypoint; a command drops the image's
     * entrypoint and cmd.
     */
    static List<String> args(List<String> entrypoint, List<String> cmd, List<String> command, List<String> args) {
        List<String> out = new ArrayList<>(command.isEmpty() ? entrypoint : command);
        if (!args.isEmpty()) {
            out.addAll(args);
        } else if (command.isEmpty()) {
            out.addAll(cmd);
        }
        return out;
    }

    /** The image's env overlaid by the container's, PATH defaulted, HOSTNAME set. */
    static List<String> env(List<String> imageEnv, Map<String, String> env, String hostname) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (String e : imageEnv) {
            int eq = e.indexOf('=');
            merged.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
        merged.putIfAbsent("PATH", DEFAULT_PATH);
        merged.put("HOSTNAME", hostname);
        merged.putAll(env);
        List<String> out = new ArrayList<>();
        merged.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private static long[] user(ImageConfig image, ContainerConfig config) throws RuntimeFailure {
        Path etc = image.rootfs().resolve("etc");
        var sec = config.security();
        if (sec.runAsUser() != null) {
            long gid = sec.runAsGroup() != null ? sec.runAsGroup()
                    : primaryGroup(etc, Long.toString(sec.runAsUser()), 2);
            return new long[] {sec.runAsUser(), gid};
        }
        String spec = image.user();
        long uid = 0;
        Long gid = null;
        if (!spec.isEmpty()) {
            String[] parts = spec.split(":", 2);
            uid = numeric(parts[0]) ? Long.parseLong(parts[0]) : lookup(etc.resolve("passwd"), parts[0], 2, "user");
            if (parts.length == 2) {
                gid = numeric(parts[1]) ? Long.parseLong(parts[1]) : lookup(etc.resolve("group"), parts[1], 2, "group");
            } else {
                gid = numeric(parts[0]) ? primaryGroup(etc, parts[0], 2) : primaryGroup(etc, parts[0], 0);
            }
        }
        if (sec.runAsGroup() != null) {
            gid = sec.runAsGroup();
        }
        return new long[] {uid, gid == null ? 0 : gid};
    }

    /** The gid (4th field) of the passwd entry whose field {@code field} is {@code key}; 0 if none. */
    private static long primaryGroup(Path etc, String key, int field) {
        for (String[] entry : entries(etc.resolve("passwd"))) {
            if (entry.length > 3 && entry[field].equals(key) && numeric(entry[3])) {
                return Long.parseLong(entry[3]);
            }
        }
        return 0;
    }

    private static long lookup(Path file, String name, int idField, String what) throws RuntimeFailure {
        for (String[] entry : entries(file)) {
            if (entry.length > idField && entry[0].equals(name) && numeric(entry[idField])) {
                return Long.parseLong(entry[idField]);
            }
        }
        throw new RuntimeFailure("unable to find " + what + " " + name + ": no matching entries in "
                + file.getFileName() + " file");
    }

    private static List<String[]> entries(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.startsWith("#")).map(l -> l.split(":", -1)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean numeric(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }
}
