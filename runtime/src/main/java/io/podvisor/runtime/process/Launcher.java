package io.podvisor.runtime.process;

import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.linux.Cgroups;
import io.podvisor.runtime.linux.HostCommand;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts host processes in their own session and process group and signals those groups.
 *
 * <p>A command runs as {@code setsid <exe> <args…>}: a child of the JVM is not a process-group
 * leader, so {@code setsid} calls {@code setsid(2)} and execs directly, and the started process
 * <em>is</em> the command, with its pid as session and group id. A gated start runs
 * {@code setsid sh -c 'IFS= read -r _; exec "$@"' sh <exe> <args…>} instead: the shell waits for a
 * line on its stdin, which the runtime writes once it has moved the process into its cgroup, so
 * the command runs in the cgroup from its first instruction. Without {@code setsid} (not Linux)
 * commands run directly and signals go to the process and its descendants.
 */
final class Launcher {

    private static final String GATE = "IFS= read -r _; exec \"$@\"";

    /** What a shell adds to the environment it passes on, unset by the gate unless the container sets it. */
    private static final List<String> SHELL_VARIABLES = List.of("PWD", "OLDPWD", "SHLVL");

    private final String setsid;
    private final String shell;

    private Launcher(String setsid, String shell) {
        this.setsid = setsid;
        this.shell = shell;
    }

    /** Finds {@code setsid}, {@code sh} and {@code kill} on the host. */
    static Launcher detect() {
        String hostPath = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        String setsid = find("setsid", hostPath);
        String sh = find("sh", hostPath);
        return new Launcher(setsid != null && find("kill", hostPath) != null ? setsid : null, sh);
    }

    /** True if processes get their own process group. */
    boolean groups() {
        return setsid != null;
    }

    /** True if a start can wait for the runtime before the command runs (needed to place it in a cgroup). */
    boolean canGate() {
        return setsid != null && shell != null;
    }

    /**
     * The argv that runs {@code command} (its executable already resolved) in a new session with
     * the environment {@code env}.
     */
    private List<String> argv(List<String> command, Map<String, String> env, boolean gated) {
        List<String> argv = new ArrayList<>();
        if (setsid != null) {
            argv.add(setsid);
        }
        if (gated) {
            List<String> unset = SHELL_VARIABLES.stream().filter(v -> !env.containsKey(v)).toList();
            String script = unset.isEmpty() ? GATE : "unset " + String.join(" ", unset) + "; " + GATE;
            argv.addAll(List.of(shell, "-c", script, "sh"));
        }
        argv.addAll(command);
        return argv;
    }

    /** A builder for {@code argv} with exactly {@code env}, in {@code workDir}. */
    private static ProcessBuilder builder(List<String> argv, Map<String, String> env, Path workDir) {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb;
    }

    /**
     * Starts {@code argv} (executable resolved) in a new session, moved into {@code cgroup} of
     * {@code cgroups} (null: none) before its command runs; stdin is a pipe only if {@code input},
     * else empty.
     */
    Process launch(List<String> argv, Map<String, String> env, Path workDir, Cgroups cgroups, String cgroup,
                   boolean mergeErrors, boolean input) throws RuntimeFailure {
        boolean gated = cgroup != null && cgroups != null;
        ProcessBuilder pb = builder(argv(argv, env, gated), env, workDir).redirectErrorStream(mergeErrors);
        if (!gated && !input) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = null;
        try {
            p = pb.start();
            if (gated) {
                cgroups.addProcess(cgroup, p.pid());
                OutputStream in = p.getOutputStream();
                in.write('\n');
                in.flush();
                if (!input) {
                    in.close();
                }
            }
            return p;
        } catch (IOException | RuntimeFailure e) {
            if (p != null) {
                p.destroyForcibly();
            }
            throw e instanceof RuntimeFailure f ? f : new RuntimeFailure("cannot start " + argv.getFirst() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Sends {@code signal} ({@code TERM}, {@code KILL}) to the process group led by {@code p}
     * (whose members may outlive it); without groups to {@code p} and its descendants.
     */
    void signal(ProcessHandle p, String signal) {
        if (setsid != null) {
            try {
                HostCommand.run(List.of("kill", "-s", signal, "--", "-" + p.pid()));
            } catch (IOException e) {
                // the group is gone, or kill cannot run: the process handle below still works
            }
        }
        boolean kill = signal.equals("KILL");
        if (setsid == null) {
            p.descendants().forEach(d -> {
                if (kill) {
                    d.destroyForcibly();
                } else {
                    d.destroy();
                }
            });
        }
        if (kill) {
            p.destroyForcibly();
        } else if (setsid == null) {
            p.destroy();
        }
    }

    /**
     * The absolute path of {@code exe} as {@code execvp} would find it: a name with a slash
     * relative to {@code workDir}, else the first executable in {@code path}.
     *
     * @throws RuntimeFailure with runc's reason ({@code exec: "x": …}) if there is none
     */
    static String resolve(String exe, String path, Path workDir) throws RuntimeFailure {
        if (exe.contains("/")) {
            Path p = workDir.resolve(exe);
            if (!Files.exists(p)) {
                throw new RuntimeFailure("exec: \"" + exe + "\": stat " + exe + ": no such file or directory");
            }
            if (Files.isDirectory(p) || !Files.isExecutable(p)) {
                throw new RuntimeFailure("exec: \"" + exe + "\": permission denied");
            }
            return p.toString();
        }
        String found = find(exe, path);
        if (found == null) {
            throw new RuntimeFailure("exec: \"" + exe + "\": executable file not found in $PATH");
        }
        return found;
    }

    /** A failed container start as containerd with runc words it. */
    static String startFailed(String why) {
        return "failed to create containerd task: failed to create shim task: OCI runtime create failed: "
                + "runc create failed: unable to start container process: " + why + ": unknown";
    }

    /** A failed exec start as runc words it. */
    static String execFailed(String why) {
        return "OCI runtime exec failed: exec failed: unable to start container process: " + why + ": unknown";
    }

    private static String find(String name, String path) {
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
