package io.podvisor.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.podvisor.cli.testing.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory is private: created 0700, secrets 0600 whatever the umask, foreign or writable ones refused. */
class DataDirTest {

    /** The uid of nobody, a user that is not this one. */
    private static final int OTHER_UID = 65534;

    @TempDir
    Path tmp;

    @Test
    void aNewDataDirIsCreatedPrivate() throws IOException {
        Path data = DataDir.prepare(tmp.resolve("a/b/data"));

        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(tmp.resolve("a"))).as("a parent made on the way").isEqualTo("rwx------");
    }

    @Test
    void aLooseDirOfThisUserIsTightenedWithItsSecrets() throws IOException {
        Path data = Files.createDirectory(tmp.resolve("data"));
        chmod(data, "rwxr-xr-x");
        Files.writeString(data.resolve("token"), "t\n");
        chmod(data.resolve("token"), "rw-r--r--");
        Files.writeString(data.resolve("state.db"), "");
        chmod(data.resolve("state.db"), "rw-r--r--");
        Files.createDirectory(data.resolve("pki"));
        chmod(data.resolve("pki"), "rwxr-xr-x");
        Files.writeString(data.resolve("pki/ca.key"), "k");
        chmod(data.resolve("pki/ca.key"), "rw-r--r--");

        DataDir.prepare(data);

        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("token"))).isEqualTo("rw-------");
        assertThat(mode(data.resolve("state.db"))).isEqualTo("rw-------");
        assertThat(mode(data.resolve("pki"))).isEqualTo("rwx------");
        assertThat(mode(data.resolve("pki/ca.key"))).isEqualTo("rw-------");
    }

    @Test
    void aDirWritableByOthersIsRefused() throws IOException {
        Path data = Files.createDirectory(tmp.resolve("data"));
        chmod(data, "rwxrwxrwx");

        assertThatThrownBy(() -> DataDir.prepare(data)).isInstanceOf(DataDir.UnsafeException.class)
                .hasMessage("unsafe data directory " + data + " is writable by group or others (mode rwxrwxrwx)");
        assertThat(mode(data)).as("left as found").isEqualTo("rwxrwxrwx");
    }

    @Test
    void aDirUnderAParentOthersMayWriteIsRefusedUnlessTheParentIsSticky() throws IOException {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        chmod(shared, "rwxrwxrwx");
        Path data = shared.resolve("data");

        assertThatThrownBy(() -> DataDir.prepare(data)).isInstanceOf(DataDir.UnsafeException.class)
                .hasMessage("unsafe data directory " + data + ": its parent " + shared
                        + " is writable by group or others (mode rwxrwxrwx)");
        assertThat(data).as("nothing made under it").doesNotExist();

        Files.setAttribute(shared, "unix:mode", 01777); // as /tmp: no one may rename another's entry
        assertThat(mode(DataDir.prepare(data))).isEqualTo("rwx------");
    }

    @Test
    void aDirUnderAParentOfAnotherUserIsRefused() throws IOException {
        assumeTrue(DataDir.currentUid() == 0, "chown needs root");
        Path theirs = Files.createDirectory(tmp.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", OTHER_UID);

        assertThatThrownBy(() -> DataDir.prepare(theirs.resolve("data"))).isInstanceOf(DataDir.UnsafeException.class)
                .hasMessage("unsafe data directory " + theirs.resolve("data") + ": its parent " + theirs
                        + " is owned by uid 65534, neither this user (uid 0) nor root");
    }

    @Test
    void aGroupWritableTokenIsRefused() throws IOException {
        Path data = DataDir.prepare(tmp.resolve("data"));
        Files.writeString(data.resolve("token"), "t\n");
        chmod(data.resolve("token"), "rw-rw----");

        assertThatThrownBy(() -> DataDir.prepare(data)).isInstanceOf(DataDir.UnsafeException.class)
                .hasMessage("unsafe data directory " + data + ": " + data.resolve("token")
                        + " is writable by group or others (mode rw-rw----)");
    }

    @Test
    void aKubeconfigThatIsASymbolicLinkIsRefused() throws IOException {
        Path data = DataDir.prepare(tmp.resolve("data"));
        Files.createSymbolicLink(data.resolve("kubeconfig"), tmp.resolve("elsewhere"));

        assertThatThrownBy(() -> DataDir.prepare(data)).isInstanceOf(DataDir.UnsafeException.class)
                .hasMessageEndingWith(data.resolve("kubeconfig") + " is a symbolic link");
    }

    @Test
    void aDirOwnedByAnotherUserIsRefused() throws IOException {
        assumeTrue(DataDir.currentUid() == 0, "chown needs root");
        Path data = Files.createDirectory(tmp.resolve("data"));
        chmod(data, "rwx------");
        Files.setAttribute(data, "unix:uid", OTHER_UID);

        assertThatThrownBy(() -> DataDir.prepare(data)).isInstanceOf(DataDir.UnsafeException.class)
                .hasMessage("unsafe data directory " + data + " is owned by uid 65534, not by this user (uid 0)");
    }

    @Test
    void aPlantedTokenOrPkiOfAnotherUserIsRefused() throws IOException {
        Path data = DataDir.prepare(tmp.resolve("data"));
        Path token = plantForeignToken(data);
        assertThatThrownBy(() -> DataDir.prepare(data)).isInstanceOf(DataDir.UnsafeException.class)
                .hasMessage("unsafe data directory " + data + ": " + token + " is owned by uid 65534, not by this user (uid 0)");

        Files.delete(token);
        Path pki = Files.createDirectory(data.resolve("pki"));
        Files.setAttribute(pki, "unix:uid", OTHER_UID);
        assertThatThrownBy(() -> DataDir.prepare(data)).isInstanceOf(DataDir.UnsafeException.class)
                .hasMessageContaining(pki + " is owned by uid 65534");
    }

    @Test
    void everyCommandWithADataDirRefusesAnUnsafeOneWithExitCode2() throws IOException {
        Path data = Files.createDirectory(tmp.resolve("data"));
        chmod(data, "rwxrwxrwx");
        String expected = "podvisor: unsafe data directory " + data + " is writable by group or others (mode rwxrwxrwx)\n";
        Path manifest = Files.writeString(tmp.resolve("pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                + "spec: {containers: [{name: c, image: busybox}]}\n");

        for (String[] args : List.of(
                new String[] {"server", "--data-dir", data.toString(), "--runtime", "fake", "--port", "0"},
                new String[] {"run", manifest.toString(), "--data-dir", data.toString(), "--runtime", "fake"},
                new String[] {"image", "ls", "--data-dir", data.toString()},
                new String[] {"image", "rm", "busybox", "--data-dir", data.toString()},
                new String[] {"image", "import", manifest.toString(), "--data-dir", data.toString()})) {
            CliRun.Output r = CliRun.run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).isEqualTo(expected);
        }
        try (var left = Files.list(data)) {
            assertThat(left.toList()).as("nothing written into the refused directory").isEmpty();
        }
    }

    @Test
    void aServerOnADataDirWithAPlantedTokenOfAnotherUserExitsWith2() throws IOException {
        Path data = DataDir.prepare(tmp.resolve("data"));
        Path token = plantForeignToken(data);

        CliRun.Output r = CliRun.run("server", "--data-dir", data.toString(), "--runtime", "fake", "--port", "0");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("podvisor: unsafe data directory " + data + ": " + token
                + " is owned by uid 65534, not by this user (uid 0)\n");
        assertThat(data.resolve("kubeconfig")).as("nothing served with it").doesNotExist();
    }

    @Test
    void theDefaultIsVarLibForRootAndTheUsersDataHomeOtherwise() {
        assertThat(DataDir.defaultPath(true, "/x", "/root")).isEqualTo(Path.of("/var/lib/podvisor"));
        assertThat(DataDir.defaultPath(false, null, "/home/u")).isEqualTo(Path.of("/home/u/.local/share/podvisor"));
        assertThat(DataDir.defaultPath(false, "/data/u", "/home/u")).isEqualTo(Path.of("/data/u/podvisor"));
        assertThat(DataDir.defaultPath(false, "relative", "/home/u")).isEqualTo(Path.of("/home/u/.local/share/podvisor"));
    }

    /**
     * A whole run in a child process under umask 000: the directory, the store with its WAL, the
     * token, the kubeconfig and the keys come out private all the same.
     */
    @Test
    void aNodeUnderUmask000KeepsItsDataPrivate() throws Exception {
        Path data = tmp.resolve("data");
        Path manifest = Files.writeString(tmp.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: v}\n");
        String java = ProcessHandle.current().info().command().orElseThrow();
        String command = "umask 000 && exec \"$0\" --enable-native-access=ALL-UNNAMED -cp \"$1\" io.podvisor.cli.Main run "
                + "--runtime fake --until 1s --data-dir \"$2\" \"$3\"";
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command, java, System.getProperty("java.class.path"),
                data.toString(), manifest.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(output, StandardCharsets.UTF_8)).isZero();

        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("pki"))).isEqualTo("rwx------");
        List<Path> secrets = new ArrayList<>(List.of(data.resolve("state.db"), data.resolve("token"),
                data.resolve("kubeconfig"), data.resolve("pki/ca.key"), data.resolve("pki/apiserver.key"),
                data.resolve("pki/sa.key")));
        for (String wal : List.of("state.db-wal", "state.db-shm")) {
            if (Files.exists(data.resolve(wal))) {
                secrets.add(data.resolve(wal));
            }
        }
        for (Path secret : secrets) {
            assertThat(mode(secret)).as(secret.toString()).isEqualTo("rw-------");
        }
    }

    /** A well-formed token in {@code data} owned by {@link #OTHER_UID} (skips the test unless root, who may chown). */
    private static Path plantForeignToken(Path data) throws IOException {
        assumeTrue(DataDir.currentUid() == 0, "chown needs root");
        Path token = Files.writeString(data.resolve("token"), "a".repeat(64) + "\n");
        Files.setAttribute(token, "unix:uid", OTHER_UID);
        return token;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static void chmod(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }
}
