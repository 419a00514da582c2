package io.podvisor.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** Runs the real {@code kubectl} (when installed) against the fake-backed server. */
@EnabledIf("kubectlInstalled")
class KubectlSmokeTest extends ServerTestBase {

    static boolean kubectlInstalled() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "kubectl"))) {
                return true;
            }
        }
        return false;
    }

    private record Run(int code, String out, String err) {}

    private Run kubectl(String... args) throws Exception {
        return kubectlWithInput(null, args);
    }

    private Run kubectlWithInput(Path stdin, String... args) throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", dir.resolve("kubeconfig").toString(),
                "--request-timeout=10s"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("KUBECACHEDIR", home.resolve("cache").toString());
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kubectl timed out: " + cmd);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void kubectlDebugWhereEphemeralContainersAreNotServedSaysSoInsteadOfPanicking() throws Exception {
        io.fabric8.kubernetes.api.model.Pod pod = addPod("web", Map.of("app", "web"), "web");
        pod.getSpec().setSecurityContext(new io.fabric8.kubernetes.api.model.PodSecurityContext()); // as defaulted
        registry.put(io.podvisor.api.resources.ResourceTypes.PODS, pod);

        Run debug = kubectl("debug", "web", "--image=busybox", "--target=web", "--", "true");

        assertThat(debug.code()).as(debug.err()).isEqualTo(1);
        assertThat(debug.err()).doesNotContain("panic").contains("ephemeral containers are disabled for this cluster");
    }

    @Test
    void kubectlTalksToTheServer() throws Exception {
        addPod("web", Map.of("app", "web"), "web");
        Run version = kubectl("version");
        assertThat(version.code()).as(version.err()).isZero();
        assertThat(version.out()).contains("Server Version: v1.33.0");

        Run raw = kubectl("get", "--raw", "/api");
        assertThat(raw.code()).as(raw.err()).isZero();
        assertThat(raw.out()).contains("\"APIVersions\"");

        Run pods = kubectl("get", "po");
        assertThat(pods.code()).as(pods.err()).isZero();
        assertThat(pods.out()).contains("NAME").contains("web");

        Run yaml = kubectl("get", "pod", "web", "-o", "jsonpath={.metadata.labels.app}");
        assertThat(yaml.code()).as(yaml.err()).isZero();
        assertThat(yaml.out()).isEqualTo("web");

        Run missing = kubectl("get", "pod", "nope");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("Error from server (NotFound): pods \"nope\" not found");

        Path manifest = dir.resolve("pod.yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: demo
                spec:
                  containers:
                  - name: main
                    image: nginx
                """);
        Run create = kubectl("create", "-f", manifest.toString());
        assertThat(create.code()).as(create.err()).isZero();
        assertThat(create.out()).contains("pod/demo created");
        assertThat(registry.lastWrite.fieldValidation()).isEqualTo(io.podvisor.apiserver.registry.Registry.FieldValidation.STRICT);

        Run logs = kubectl("logs", "web");
        assertThat(logs.code()).as(logs.err()).isZero();
        assertThat(logs.out()).isEqualTo("web line 1\nweb line 2\nweb line 3\n");

        Run exec = kubectl("exec", "web", "--", "fail", "3");
        assertThat(exec.code()).as(exec.err()).isEqualTo(3);
        assertThat(exec.err()).contains("oops").contains("command terminated with exit code 3");

        Run echo = kubectl("exec", "web", "--", "echo", "hello", "world");
        assertThat(echo.code()).as(echo.err()).isZero();
        assertThat(echo.out()).isEqualTo("hello world\n");

        Path input = dir.resolve("input.txt");
        Files.writeString(input, "from stdin\n");
        Run cat = kubectlWithInput(input, "exec", "-i", "web", "--", "cat");
        assertThat(cat.code()).as(cat.err()).isZero();
        assertThat(cat.out()).isEqualTo("from stdin\n");

        Run badContainer = kubectl("exec", "web", "-c", "nope", "--", "echo");
        assertThat(badContainer.code()).isEqualTo(1);
        assertThat(badContainer.err()).contains("container nope is not valid for pod web");

        Run resources = kubectl("api-resources");
        assertThat(resources.code()).as(resources.err()).isZero();
        assertThat(resources.out()).containsPattern("pods\\s+po\\s+v1\\s+true\\s+Pod")
                .containsPattern("jobs\\s+batch/v1\\s+true\\s+Job");

        Run apply = kubectl("apply", "--server-side", "-f", manifest.toString());
        assertThat(apply.code()).as(apply.err()).isZero();
        assertThat(apply.out()).contains("pod/demo serverside-applied");
        assertThat(registry.lastPatchType).isEqualTo(io.podvisor.api.patch.PatchType.APPLY);

        Run label = kubectl("label", "pod", "web", "tier=front");
        assertThat(label.code()).as(label.err()).isZero();
        assertThat(label.out()).contains("pod/web labeled");

        Run delete = kubectl("delete", "pod", "demo", "--wait=false");
        assertThat(delete.code()).as(delete.err()).isZero();
        assertThat(delete.out()).contains("pod \"demo\" deleted");
    }
}
