package io.podvisor.runtime.image.registry;

import java.util.Locale;

/**
 * An OCI platform ({@code linux/amd64}, {@code linux/arm64/v8}) and the rule for picking the manifest of
 * this machine out of an index: same OS and architecture; a variant, when the index names one, must be
 * this machine's (an {@code arm64} entry without a variant is {@code v8}).
 *
 * @param os           {@code linux}
 * @param architecture GOARCH spelling: {@code amd64}, {@code arm64}, {@code arm}, {@code 386}, …
 * @param variant      {@code v8}, {@code v7}, … or {@code ""}
 */
public record Platform(String os, String architecture, String variant) {

    public Platform {
        os = os == null ? "" : os;
        architecture = architecture == null ? "" : architecture;
        variant = variant == null ? "" : variant;
    }

    /** This machine: Linux with the JVM's {@code os.arch} in GOARCH spelling. */
    public static Platform current() {
        return forArch(System.getProperty("os.arch", ""));
    }

    /** Linux on a JVM {@code os.arch} value ({@code amd64}, {@code x86_64}, {@code aarch64}, …). */
    public static Platform forArch(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> new Platform("linux", "amd64", "");
            case "aarch64", "arm64" -> new Platform("linux", "arm64", "v8");
            case "arm", "armv7l", "aarch32" -> new Platform("linux", "arm", "v7");
            case "x86", "i386", "i486", "i586", "i686", "386" -> new Platform("linux", "386", "");
            case "ppc64le", "s390x", "riscv64", "mips64le", "loong64" -> new Platform("linux", arch, "");
            default -> new Platform("linux", arch, "");
        };
    }

    /** True when an index entry for {@code other} may run here. */
    public boolean matches(Platform other) {
        if (!os.equals(other.os) || !architecture.equals(other.architecture)) {
            return false;
        }
        return other.variant.isEmpty() || normalizedVariant().equals(other.normalizedVariant());
    }

    private String normalizedVariant() {
        return architecture.equals("arm64") && variant.isEmpty() ? "v8" : variant;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
