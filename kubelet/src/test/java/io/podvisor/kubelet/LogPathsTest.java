package io.podvisor.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restart count a container's log directory implies when the runtime holds none of its instances. */
class LogPathsTest {

    @TempDir
    Path dir;

    final ObjectMeta meta = new ObjectMetaBuilder().withNamespace("ns").withName("web").withUid("u1").build();

    KubeletConfig config() {
        return KubeletConfig.defaults("node").withPodLogsDir(dir);
    }

    Path containerDir() throws Exception {
        return Files.createDirectories(dir.resolve("ns_web_u1/app"));
    }

    @Test
    void oneMoreThanTheHighestCountedFileRotatedOnesIncluded() throws Exception {
        Path c = containerDir();
        Files.writeString(c.resolve("0.log"), "");
        Files.writeString(c.resolve("3.log.20260101-000000"), "");
        Files.writeString(c.resolve("1.log"), "");
        assertThat(LogPaths.restartCountFromLogs(config(), meta, "app")).isEqualTo(4);
    }

    @Test
    void filesAndDirectoriesThatAreNoCountedLogAreIgnored() throws Exception {
        Path c = containerDir();
        Files.writeString(c.resolve("2.log"), "");
        Files.writeString(c.resolve("app.log"), "");
        Files.writeString(c.resolve("x7.log"), "");
        Files.writeString(c.resolve("5.txt"), "");
        Files.writeString(c.resolve("99999999999999999999.log"), "");
        Files.createDirectories(c.resolve("9.log"));
        assertThat(LogPaths.restartCountFromLogs(config(), meta, "app")).isEqualTo(3);
    }

    @Test
    void zeroWithoutFilesWithoutDirectoryOrWithoutLogs() throws Exception {
        assertThat(LogPaths.restartCountFromLogs(config(), meta, "app")).isZero();
        containerDir();
        assertThat(LogPaths.restartCountFromLogs(config(), meta, "app")).isZero();
        assertThat(LogPaths.restartCountFromLogs(KubeletConfig.defaults("node"), meta, "app")).isZero();
    }
}
