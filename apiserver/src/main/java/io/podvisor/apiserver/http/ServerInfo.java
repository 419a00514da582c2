package io.podvisor.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/** The {@code /version} document: the server reports Kubernetes v1.33.0. */
final class ServerInfo {

    static final String GIT_VERSION = "v1.33.0";

    private ServerInfo() {}

    static ObjectNode version() {
        ObjectNode v = Json.object();
        v.put("major", "1");
        v.put("minor", "33");
        v.put("emulationMajor", "1");
        v.put("emulationMinor", "33");
        v.put("minCompatibilityMajor", "1");
        v.put("minCompatibilityMinor", "32");
        v.put("gitVersion", GIT_VERSION);
        v.put("gitCommit", "podvisor");
        v.put("gitTreeState", "clean");
        v.put("buildDate", "2025-04-23T00:00:00Z");
        v.put("goVersion", "go1.24.2");
        v.put("compiler", "gc");
        v.put("platform", "linux/" + arch());
        return v;
    }

    private static String arch() {
        String a = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> a;
        };
    }
}
