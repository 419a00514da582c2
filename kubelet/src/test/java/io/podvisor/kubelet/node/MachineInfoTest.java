package io.podvisor.kubelet.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineInfoTest {

    @TempDir
    Path root;

    void write(String path, String content) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void readsMemoryOsKernelAndIdsFromTheHostFiles() throws IOException {
        write("proc/meminfo", "MemTotal:       16307000 kB\nMemFree:         1000 kB\n");
        write("etc/os-release", "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n");
        write("proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
        write("etc/machine-id", "0123456789abcdef\n");
        write("proc/sys/kernel/random/boot_id", "b00t\n");
        MachineInfo m = MachineInfo.read(root, root);
        assertThat(m.memoryBytes()).isEqualTo(16307000L * 1024);
        assertThat(m.osImage()).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(m.kernelVersion()).isEqualTo("6.1.0-18-amd64");
        assertThat(m.machineId()).isEqualTo("0123456789abcdef");
        assertThat(m.bootId()).isEqualTo("b00t");
        assertThat(m.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(m.ephemeralStorageBytes()).isPositive();
    }

    @Test
    void withoutProcTheJvmGivesTheMemoryAndUnknownsStayEmpty() {
        MachineInfo m = MachineInfo.read(root, root.resolve("not/yet/created"));
        assertThat(m.memoryBytes()).isPositive();
        assertThat(m.osImage()).isEqualTo("Unknown");
        assertThat(m.kernelVersion()).isEmpty();
        assertThat(m.ephemeralStorageBytes()).isPositive();
    }

    @Test
    void javaArchitecturesAreNamedAsGoNamesThem() {
        assertThat(MachineInfo.goArch("amd64")).isEqualTo("amd64");
        assertThat(MachineInfo.goArch("x86_64")).isEqualTo("amd64");
        assertThat(MachineInfo.goArch("aarch64")).isEqualTo("arm64");
    }

    @Test
    void quantitiesUseTheLargestExactBinarySuffix() {
        assertThat(NodeObjects.binarySI(16307000L * 1024)).isEqualTo("16307000Ki");
        assertThat(NodeObjects.binarySI(8L * 1024 * 1024 * 1024)).isEqualTo("8Gi");
        assertThat(NodeObjects.binarySI(1000)).isEqualTo("1000");
        assertThat(NodeObjects.binarySI(0)).isEqualTo("0");
    }
}
