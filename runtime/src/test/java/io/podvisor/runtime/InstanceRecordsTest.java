package io.podvisor.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The records a runtime keeps of its objects across its restarts: files, modes and what a restart finds. */
class InstanceRecordsTest {

    @TempDir
    Path dir;

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static ContainerInfo container(String id, ContainerState state, int exitCode, String reason, Instant finishedAt) {
        return new ContainerInfo(id, "sb1", "app", 2, "busybox", "sha256:abc", state, T0, T0.plusSeconds(1), finishedAt,
                exitCode, reason, null, Map.of("pod", "web"), Map.of("hash", "1"));
    }

    @Test
    void filesArePrivateToTheOwnerAndHoldNoCommandOrEnvironment() throws Exception {
        InstanceRecords records = new InstanceRecords(dir.resolve("records"));
        records.save(new SandboxInfo("sb1", true, "10.88.0.2", T0, Map.of("pod", "web"), Map.of()));
        records.save(container("c1", ContainerState.RUNNING, 0, null, null));
        for (Path p : new Path[] {dir.resolve("records"), dir.resolve("records/containers"), dir.resolve("records/sandboxes")}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as("%s", p).isEqualTo("rwx------");
        }
        Path file = dir.resolve("records/containers/c1.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("records/sandboxes/sb1.json"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(file)).doesNotContain("command", "env", "args");
        try (var left = Files.list(dir.resolve("records/containers"))) {
            assertThat(left).containsExactly(file); // no temporary file left
        }
    }

    @Test
    void aRestartFindsRunningContainersExitedUnknownAndKeepsExitedOnes() {
        InstanceRecords before = new InstanceRecords(dir);
        before.save(new SandboxInfo("sb1", true, "10.88.0.2", T0, Map.of("pod", "web"), Map.of()));
        before.save(container("run", ContainerState.CREATED, 0, null, null));
        before.save(container("run", ContainerState.RUNNING, 0, null, null));
        ContainerInfo exited = container("done", ContainerState.EXITED, 1, "Error", T0.plusSeconds(5));
        before.save(exited);
        before.save(container("done", ContainerState.RUNNING, 0, null, null)); // late: ignored
        before.close();
        before.forgetContainer("done"); // closed: nothing is deleted any more

        InstanceRecords after = new InstanceRecords(dir);
        Instant found = T0.plusSeconds(60);
        after.recover(found);
        assertThat(after.sandboxes(Map.of("pod", "web")))
                .containsExactly(new SandboxInfo("sb1", false, "10.88.0.2", T0, Map.of("pod", "web"), Map.of()));
        assertThat(after.containers(Map.of("pod", "web"))).containsExactlyInAnyOrder(exited,
                container("run", ContainerState.EXITED, 255, "Unknown", found));

        after.forgetSandbox("sb1");
        assertThat(after.containers(Map.of())).isEmpty();
        InstanceRecords third = new InstanceRecords(dir);
        third.recover(found.plusSeconds(60));
        assertThat(third.sandboxes(Map.of())).isEmpty();
        assertThat(third.containers(Map.of())).isEmpty();
    }

    @Test
    void anUnreadableRecordIsDropped() throws Exception {
        Files.createDirectories(dir.resolve("containers"));
        Files.writeString(dir.resolve("containers/bad.json"), "{not json");
        InstanceRecords records = new InstanceRecords(dir);
        records.recover(T0);
        assertThat(records.containers(Map.of())).isEmpty();
        assertThat(dir.resolve("containers/bad.json")).doesNotExist();
    }
}
