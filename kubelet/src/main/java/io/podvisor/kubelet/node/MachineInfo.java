package io.podvisor.kubelet.node;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Facts about the machine the Node reports, read once from {@code /proc}, {@code /etc} and the
 * JVM.
 *
 * @param cpus                  available processors
 * @param memoryBytes           total memory ({@code /proc/meminfo} MemTotal)
 * @param ephemeralStorageBytes size of the filesystem holding the kubelet's directory
 * @param architecture          Go's name: {@code amd64}, {@code arm64}, …
 * @param osImage               {@code PRETTY_NAME} of {@code /etc/os-release}
 * @param kernelVersion         {@code /proc/sys/kernel/osrelease}
 * @param machineId             {@code /etc/machine-id}, or empty
 * @param bootId                {@code /proc/sys/kernel/random/boot_id}, or empty
 */
public record MachineInfo(int cpus, long memoryBytes, long ephemeralStorageBytes, String architecture,
                          String osImage, String kernelVersion, String machineId, String bootId) {

    /**
     * Reads the machine.
     *
     * @param root    the host's root ({@code /}; a test passes a directory shaped like it)
     * @param dataDir the kubelet's directory (its filesystem is the ephemeral storage)
     */
    public static MachineInfo read(Path root, Path dataDir) {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), memory(root), storage(dataDir),
                goArch(System.getProperty("os.arch")), osImage(root), firstLine(root.resolve("proc/sys/kernel/osrelease")),
                firstLine(root.resolve("etc/machine-id")), firstLine(root.resolve("proc/sys/kernel/random/boot_id")));
    }

    /** Java's {@code os.arch} as Go names it. */
    static String goArch(String javaArch) {
        return switch (javaArch == null ? "" : javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            case "arm" -> "arm";
            default -> javaArch;
        };
    }

    private static long memory(Path root) {
        try {
            for (String line : Files.readAllLines(root.resolve("proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String[] parts = line.substring(9).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the JVM's view
        }
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : 0;
    }

    private static long storage(Path dataDir) {
        try {
            Path p = dataDir;
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            return p == null ? 0 : Files.getFileStore(p).getTotalSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String osImage(Path root) {
        try {
            for (String line : Files.readAllLines(root.resolve("etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    String v = line.substring("PRETTY_NAME=".length()).trim();
                    return v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'")) ? v.substring(1, v.length() - 1) : v;
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return "Unknown";
    }

    private static String firstLine(Path file) {
        try {
            String s = Files.readString(file).trim();
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        } catch (IOException e) {
            return "";
        }
    }
}
