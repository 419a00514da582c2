package io.podvisor.runtime.process;

import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.Mount;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SecurityConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the process runtime refuses: everything a container asks for that a plain host process
 * cannot be given. Each refusal is a {@link RuntimeFailure#configError} naming the field.
 */
final class ConfigCheck {

    /** The user and group this JVM (and so every container process) runs as. */
    record Identity(long uid, long gid) {
        static Identity current() {
            try {
                Path self = Path.of("/proc/self");
                return new Identity(((Number) Files.getAttribute(self, "unix:uid")).longValue(),
                        ((Number) Files.getAttribute(self, "unix:gid")).longValue());
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return new Identity(-1, -1);
            }
        }
    }

    private ConfigCheck() {}

    /**
     * The command to run: {@code command + args}, or {@code args} alone when there is no command
     * (as for an image without entrypoint).
     *
     * @throws RuntimeFailure a config error when both are empty
     */
    static List<String> command(ContainerConfig c) throws RuntimeFailure {
        List<String> all = new ArrayList<>(c.command());
        all.addAll(c.args());
        if (all.isEmpty()) {
            throw RuntimeFailure.configError("the process runtime needs a command: the image's entrypoint is not available");
        }
        return all;
    }

    /** Refuses mounts and security settings a host process cannot have. */
    static void check(ContainerConfig c, Identity me) throws RuntimeFailure {
        String messageFile = c.annotations().get(ContainerConfig.TERMINATION_MESSAGE_FILE);
        for (Mount m : c.mounts()) {
            if (m.hostPath().equals(messageFile)) {
                continue; // not bound: a host process cannot see it at its path; the message stays empty
            }
            if (!m.hostPath().equals(m.containerPath()) || m.readOnly()) {
                throw RuntimeFailure.configError("volume mounts are not supported by the process runtime (mount at "
                        + m.containerPath() + ")");
            }
        }
        SecurityConfig s = c.security();
        if (s.privileged()) {
            throw RuntimeFailure.configError("privileged containers are not supported by the process runtime");
        }
        if (s.readOnlyRootFilesystem()) {
            throw RuntimeFailure.configError("readOnlyRootFilesystem is not supported by the process runtime "
                    + "(its containers see the host's filesystem)");
        }
        if (!s.capabilitiesAdd().isEmpty()) {
            throw RuntimeFailure.configError("adding capabilities is not supported by the process runtime (add "
                    + String.join(", ", s.capabilitiesAdd()) + ")");
        }
        if (s.runAsUser() != null && s.runAsUser() != me.uid()) {
            throw RuntimeFailure.configError("runAsUser " + s.runAsUser() + " is not supported by the process runtime "
                    + "(its containers run as uid " + me.uid() + ")");
        }
        if (s.runAsGroup() != null && s.runAsGroup() != me.gid()) {
            throw RuntimeFailure.configError("runAsGroup " + s.runAsGroup() + " is not supported by the process runtime "
                    + "(its containers run as gid " + me.gid() + ")");
        }
    }

    /**
     * The working directory: the one asked for, which must exist on the host, or {@code fallback}.
     */
    static Path workingDir(ContainerConfig c, Path fallback) throws RuntimeFailure {
        if (c.workingDir() == null || c.workingDir().isEmpty()) {
            return fallback;
        }
        Path p = Path.of(c.workingDir());
        if (!p.isAbsolute() || !Files.isDirectory(p)) {
            throw RuntimeFailure.configError("workingDir " + c.workingDir() + " is not a directory on this host "
                    + "(the process runtime runs containers in the host's filesystem)");
        }
        return p;
    }

    /** The environment: exactly the container's, plus the host's {@code PATH} when it sets none. */
    static Map<String, String> env(ContainerConfig c) {
        Map<String, String> env = new LinkedHashMap<>(c.env());
        env.putIfAbsent("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        return env;
    }
}
