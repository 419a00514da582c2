package io.podvisor.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The limit for starting a container here: {@code runc run --detach} of a bundle whose root is an
 * image's unpacked root (read-only), with runc's default namespaces and the process {@code sleep
 * 3600}; timed from start to return, when runc has started the process.
 */
final class BareRunc {

    private BareRunc() {}

    static void measure(Path dir, Path rootfs, int runs, Stats out) throws Exception {
        Path root = Files.createDirectories(dir.resolve("state"));
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        run(List.of("runc", "spec", "--bundle", bundle.toString()));
        ObjectMapper json = new ObjectMapper();
        ObjectNode spec = (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
        spec.putObject("root").put("path", rootfs.toString()).put("readonly", true);
        ObjectNode process = (ObjectNode) spec.get("process");
        process.put("terminal", false);
        ArrayNode argv = process.putArray("args");
        argv.add("sleep").add("3600");
        json.writeValue(bundle.resolve("config.json").toFile(), spec);
        List<String> ids = new ArrayList<>();
        try {
            for (int i = -5; i < runs; i++) {
                String id = "bench-bare-" + ProcessHandle.current().pid() + "-" + (i + 5);
                ids.add(id);
                long t0 = System.nanoTime();
                run(List.of("runc", "--root", root.toString(), "run", "--detach", "--bundle", bundle.toString(), id));
                if (i >= 0) {
                    out.add((System.nanoTime() - t0) / 1e6);
                }
            }
        } finally {
            for (String id : ids) {
                new ProcessBuilder("runc", "--root", root.toString(), "delete", "--force", id)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            }
        }
    }

    /**
     * Runs {@code cmd} with its output in a file (a detached container keeps the stdio it inherits
     * open, so a pipe would never end); fails with that output when it exits non-zero.
     */
    static void run(List<String> cmd) throws IOException, InterruptedException {
        run(cmd, java.util.Map.of());
    }

    /** {@link #run(List)} with {@code env} added to the environment. */
    static void run(List<String> cmd, java.util.Map<String, String> env) throws IOException, InterruptedException {
        Path log = Files.createTempFile("bench-cmd-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
