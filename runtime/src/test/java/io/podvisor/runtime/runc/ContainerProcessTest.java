package io.podvisor.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podvisor.runtime.ContainerConfig;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.SecurityConfig;
import io.podvisor.runtime.image.ImageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerProcessTest {

    @TempDir
    Path rootfs;

    static final List<String> EP = List.of("/ep");
    static final List<String> CMD = List.of("default");

    @Test
    void commandAndArgsResolveAgainstTheImageAsUpstreamDoes() {
        assertThat(ContainerProcess.args(EP, CMD, List.of(), List.of())).containsExactly("/ep", "default");
        assertThat(ContainerProcess.args(EP, CMD, List.of(), List.of("a"))).containsExactly("/ep", "a");
        assertThat(ContainerProcess.args(EP, CMD, List.of("/c"), List.of())).containsExactly("/c");
        assertThat(ContainerProcess.args(EP, CMD, List.of("/c"), List.of("a"))).containsExactly("/c", "a");
        assertThat(ContainerProcess.args(List.of(), CMD, List.of(), List.of())).containsExactly("default");
    }

    @Test
    void envOverlaysTheImageDefaultsPathAndSetsHostname() {
        assertThat(ContainerProcess.env(List.of("PATH=/x", "A=1", "B=2"), Map.of("B", "3"), "pod"))
                .containsExactly("PATH=/x", "A=1", "B=3", "HOSTNAME=pod");
        assertThat(ContainerProcess.env(List.of(), Map.of(), "pod"))
                .containsExactly("PATH=" + ContainerProcess.DEFAULT_PATH, "HOSTNAME=pod");
    }

    @Test
    void workingDirectoryComesFromTheContainerThenTheImage() throws Exception {
        assertThat(resolve(image(""), config(List.of("x"), "", SecurityConfig.NONE)).cwd()).isEqualTo("/");
        assertThat(resolve(image("", "/srv"), config(List.of("x"), "", SecurityConfig.NONE)).cwd())
                .isEqualTo("/srv");
        assertThat(resolve(image("", "/srv"), config(List.of("x"), "/w", SecurityConfig.NONE)).cwd())
                .isEqualTo("/w");
        assertThatThrownBy(() -> resolve(image(""), config(List.of("x"), "rel", SecurityConfig.NONE)))
                .isInstanceOf(RuntimeFailure.class);
        assertThatThrownBy(() -> resolve(image(""), config(List.of(), "", SecurityConfig.NONE)))
                .isInstanceOf(RuntimeFailure.class).hasMessage("no command specified");
    }

    @Test
    void usersComeFromTheSecurityContextThenTheImageByNumberOrName() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0::/:/bin/sh\napp:x:1000:1001::/:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nstaff:x:50:\n");
        assertThat(user("", SecurityConfig.NONE)).containsExactly(0L, 0L);
        assertThat(user("1000", SecurityConfig.NONE)).containsExactly(1000L, 1001L);
        assertThat(user("app", SecurityConfig.NONE)).containsExactly(1000L, 1001L);
        assertThat(user("app:staff", SecurityConfig.NONE)).containsExactly(1000L, 50L);
        assertThat(user("7:8", SecurityConfig.NONE)).containsExactly(7L, 8L);
        assertThat(user("app", new SecurityConfig(42L, null, false, false, List.of(), List.of()))).containsExactly(42L, 0L);
        assertThat(user("app", new SecurityConfig(1000L, 5L, false, false, List.of(), List.of()))).containsExactly(1000L, 5L);
        assertThat(user("app", new SecurityConfig(null, 5L, false, false, List.of(), List.of()))).containsExactly(1000L, 5L);
        assertThatThrownBy(() -> user("ghost", SecurityConfig.NONE)).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("ghost");
    }

    private List<Long> user(String imageUser, SecurityConfig sec) throws RuntimeFailure {
        ContainerProcess p = resolve(image(imageUser), config(List.of("x"), "", sec));
        return List.of(p.uid(), p.gid());
    }

    private ImageConfig image(String user) {
        return image(user, "");
    }

    private ImageConfig image(String user, String workingDir) {
        return new ImageConfig("r", "sha256:1", rootfs, List.of(), List.of(), List.of(), workingDir, user);
    }

    private static ContainerProcess resolve(ImageConfig image, ContainerConfig config) throws RuntimeFailure {
        return ContainerProcess.resolve(image, config, "pod");
    }

    private static ContainerConfig config(List<String> command, String workingDir, SecurityConfig sec) {
        return new ContainerConfig("c", 0, "img", command, List.of(), Map.of(), workingDir, "",
                ContainerConfig.Resources.NONE, Map.of(), Map.of(), List.of(), sec);
    }
}
