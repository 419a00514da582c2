package io.podvisor.cli;

import picocli.CommandLine;

/** Version facts: podvisor's own and the Kubernetes version it speaks. */
public final class Versions implements CommandLine.IVersionProvider {

    /** The Kubernetes minor this node reports in {@code /version}. */
    public static final String KUBERNETES = "v1.33.0";

    public static String podvisor() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-dev";
    }

    public static String line() {
        return "podvisor " + podvisor() + " (Kubernetes " + KUBERNETES + ", Java " + Runtime.version() + ")";
    }

    @Override
    public String[] getVersion() {
        return new String[] {line()};
    }
}
