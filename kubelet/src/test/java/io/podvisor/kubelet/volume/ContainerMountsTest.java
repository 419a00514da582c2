package io.podvisor.kubelet.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.podvisor.api.Yaml;
import io.podvisor.kubelet.env.ConfigException;
import io.podvisor.runtime.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerMountsTest {

    @TempDir
    Path tmp;

    private PodVolumes volumes;

    @BeforeEach
    void volumes() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path cfg = Files.createDirectories(tmp.resolve("cfg"));
        Files.writeString(cfg.resolve("app.properties"), "a=1");
        Files.createSymbolicLink(data.resolve("escape"), tmp);
        volumes = new PodVolumes(Map.of("data", new PodVolumes.Volume(data, false), "cfg", new PodVolumes.Volume(cfg, true)),
                java.util.List.of(), false, Set.of());
    }

    private static Container container(String mounts) {
        return Yaml.read("""
                name: app
                image: busybox
                volumeMounts:
                """ + mounts, Container.class);
    }

    @Test
    void mountsWithSubPathsAndReadOnlyForApiData() throws Exception {
        Container c = container("""
                - {name: data, mountPath: /data}
                - {name: data, mountPath: /logs, subPath: logs/app, readOnly: true}
                - {name: cfg, mountPath: /etc/app.properties, subPath: app.properties}
                - {name: data, mountPath: /per-pod, subPathExpr: "pods/$(POD_NAME)"}
                - {name: unknown, mountPath: /nowhere}
                """);
        assertThat(ContainerMounts.of(c, volumes, Map.of("POD_NAME", "web"))).containsExactly(
                new Mount(tmp.resolve("data").toString(), "/data", false),
                new Mount(tmp.resolve("data/logs/app").toString(), "/logs", true),
                new Mount(tmp.resolve("cfg/app.properties").toString(), "/etc/app.properties", true),
                new Mount(tmp.resolve("data/pods/web").toString(), "/per-pod", false));
        assertThat(tmp.resolve("data/logs/app")).isDirectory();
        assertThat(tmp.resolve("data/pods/web")).isDirectory();
    }

    @Test
    void subPathsThatLeaveTheVolumeAreRefusedWithUpstreamsMessages() {
        assertThatThrownBy(() -> ContainerMounts.of(container("- {name: data, mountPath: /x, subPath: a/../../etc}"), volumes, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessage("unable to provision SubPath `a/../../etc`: must not contain '..'");
        assertThatThrownBy(() -> ContainerMounts.of(container("- {name: data, mountPath: /x, subPath: /etc}"), volumes, Map.of()))
                .hasMessage("error SubPath `/etc` must not be an absolute path");
        assertThatThrownBy(() -> ContainerMounts.of(container("- {name: data, mountPath: /x, subPath: escape/created}"), volumes, Map.of()))
                .hasMessage("failed to prepare subPath for volumeMount \"data\" of container \"app\"");
        assertThat(tmp.resolve("created")).doesNotExist();
        assertThatThrownBy(() -> ContainerMounts.of(container("- {name: data, mountPath: /x, subPathExpr: \"$(B)/$(A)\"}"),
                volumes, Map.of("A", ""))).hasMessage("missing value for A, B");
    }
}
