package io.podvisor.runtime;

import java.util.List;
import java.util.Map;

/**
 * What a container needs. {@code command} and {@code args} are as the pod spec gives them; the
 * runtime resolves them against the image as upstream does: an empty {@code command} means the
 * image's entrypoint, and when both are empty the image's cmd is used as args. {@code env} is
 * ordered and already resolved (valueFrom, envFrom); the runtime adds the image's env under it.
 *
 * @param name       the container's name within its sandbox
 * @param attempt    how many instances of this name existed before (0 for the first)
 * @param image      the image reference as the user wrote it
 * @param logPath    the absolute file its stdout/stderr go to ({@link CriLog} format); empty: no log
 * @param resources  limits to enforce (nulls = none)
 * @param mounts     volumes, the termination-message file and the like, bound in this order
 * @param security   the securityContext fields to enforce
 * @param stdio      whether the container keeps an open stdin and has a terminal (CRI's {@code stdin},
 *                   {@code stdin_once}, {@code tty})
 */
public record ContainerConfig(String name, int attempt, String image,
                              List<String> command, List<String> args, Map<String, String> env,
                              String workingDir, String logPath, Resources resources,
                              Map<String, String> labels, Map<String, String> annotations,
                              List<Mount> mounts, SecurityConfig security, Stdio stdio) {

    /**
     * The annotation naming the host file of the container's termination message, which is one of
     * its {@link #mounts}; a runtime that cannot bind files may leave that mount out.
     */
    public static final String TERMINATION_MESSAGE_FILE = "io.podvisor.container.terminationMessageFile";

    public ContainerConfig {
        mounts = List.copyOf(mounts);
        security = security == null ? SecurityConfig.NONE : security;
        stdio = stdio == null ? Stdio.NONE : stdio;
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    /** A container with stdin at end-of-file and no terminal. */
    public ContainerConfig(String name, int attempt, String image, List<String> command, List<String> args,
                           Map<String, String> env, String workingDir, String logPath, Resources resources,
                           Map<String, String> labels, Map<String, String> annotations, List<Mount> mounts,
                           SecurityConfig security) {
        this(name, attempt, image, command, args, env, workingDir, logPath, resources, labels, annotations, mounts,
                security, Stdio.NONE);
    }

    /** A container without mounts and security settings. */
    public ContainerConfig(String name, int attempt, String image, List<String> command, List<String> args,
                           Map<String, String> env, String workingDir, String logPath, Resources resources,
                           Map<String, String> labels, Map<String, String> annotations) {
        this(name, attempt, image, command, args, env, workingDir, logPath, resources, labels, annotations,
                List.of(), SecurityConfig.NONE, Stdio.NONE);
    }

    /** This config with {@code stdio} instead. */
    public ContainerConfig withStdio(Stdio stdio) {
        return new ContainerConfig(name, attempt, image, command, args, env, workingDir, logPath, resources, labels,
                annotations, mounts, security, stdio);
    }

    /**
     * The container's standard input and terminal, as CRI's {@code ContainerConfig} has them.
     *
     * @param stdin     stdin stays open for attaching clients (else it is at end-of-file from the start)
     * @param stdinOnce stdin is closed once the first attached client's input ends, and never reopened
     * @param tty       the container's stdio is a terminal; its output reaches the log as {@code stdout}
     */
    public record Stdio(boolean stdin, boolean stdinOnce, boolean tty) {
        public static final Stdio NONE = new Stdio(false, false, false);
    }

    /**
     * Resource settings in runtime units. Null fields are not enforced.
     *
     * @param memoryLimitBytes the memory limit (cgroup {@code memory.limit_in_bytes} / {@code memory.max})
     * @param cpuQuotaMillis   the CPU limit in millicores, enforced as a CFS quota per 100 ms period
     * @param cpuSharesMillis  the CPU request in millicores, enforced as shares (v1) or weight (v2)
     */
    public record Resources(Long memoryLimitBytes, Long cpuQuotaMillis, Long cpuSharesMillis) {
        public static final Resources NONE = new Resources(null, null, null);
    }
}
