package io.podvisor.runtime.runc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podvisor.runtime.linux.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code runc} command line for one state root ({@code --root}): argv builders for the long-running
 * {@code run} and {@code exec}, and the short commands (kill, delete, list, version) run to completion.
 *
 * <p>Thread-safe.
 */
final class Runc {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path binary;
    private final Path root;

    Runc(Path binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** {@code runc run} in the foreground, keeping the stopped container (and its cgroup) until delete. */
    List<String> run(String id, Path bundle, Path pidFile, Path logFile) {
        return List.of(binary.toString(), "--root", root.toString(), "--log", logFile.toString(), "--log-format",
                "json", "run", "--keep", "--pid-file", pidFile.toString(), "--bundle", bundle.toString(), id);
    }

    /** {@code runc exec} of {@code command} in container {@code id}, recording the process's pid. */
    List<String> exec(String id, Path pidFile, List<String> command) {
        return exec(id, pidFile, command, false);
    }

    /** {@code runc exec}, with {@code tty} on a terminal that runc relays from its own stdio. */
    List<String> exec(String id, Path pidFile, List<String> command, boolean tty) {
        List<String> argv = new ArrayList<>(List.of(binary.toString(), "--root", root.toString(), "exec",
                "--pid-file", pidFile.toString()));
        if (tty) {
            argv.add("--tty");
        }
        argv.add(id);
        argv.addAll(command);
        return argv;
    }

    /** Sends {@code signal} ({@code TERM}, {@code KILL}) to the container's first process; false if it failed. */
    boolean kill(String id, String signal) {
        return ok(List.of(binary.toString(), "--root", root.toString(), "kill", id, signal));
    }

    /** Deletes the container's state (and cgroup); {@code force} kills it first if it still runs. */
    boolean delete(String id, boolean force) {
        List<String> argv = new ArrayList<>(List.of(binary.toString(), "--root", root.toString(), "delete"));
        if (force) {
            argv.add("-f");
        }
        argv.add(id);
        return ok(argv);
    }

    /** The ids of every container in this root. */
    List<String> list() {
        try {
            var r = HostCommand.run(List.of(binary.toString(), "--root", root.toString(), "list", "-q"));
            return r.ok() ? r.stdout().lines().filter(l -> !l.isBlank()).map(String::strip).toList() : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The version from {@code runc --version} ({@code 1.1.5+ds1}), or {@code unknown}. */
    String version() {
        try {
            return parseVersion(HostCommand.run(List.of(binary.toString(), "--version")).stdout());
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String parseVersion(String output) {
        for (String line : output.lines().toList()) {
            if (line.startsWith("runc version ")) {
                return line.substring("runc version ".length()).strip();
            }
        }
        return "unknown";
    }

    /**
     * runc's last error from its JSON log ({@code {"level":"error","msg":…}}), else {@code fallback}
     * (what it printed on stderr), with runc's {@code runc run failed: } prefix removed.
     */
    static String errorMessage(Path logFile, String fallback) {
        String msg = null;
        try {
            for (String line : Files.readAllLines(logFile)) {
                JsonNode n = line.startsWith("{") ? JSON.readTree(line) : null;
                if (n != null && "error".equals(n.path("level").asText())) {
                    msg = n.path("msg").asText();
                }
            }
        } catch (IOException e) {
            // no log: use the fallback
        }
        String m = msg != null ? msg : fallback.strip();
        for (String prefix : List.of("runc run failed: ", "runc create failed: ")) {
            if (m.startsWith(prefix)) {
                m = m.substring(prefix.length());
            }
        }
        return m.isEmpty() ? "runc failed without a message" : m;
    }

    private static boolean ok(List<String> argv) {
        try {
            return HostCommand.run(argv).ok();
        } catch (IOException e) {
            return false;
        }
    }
}
