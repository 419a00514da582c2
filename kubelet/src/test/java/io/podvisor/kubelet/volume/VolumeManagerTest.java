package io.podvisor.kubelet.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.podvisor.api.PodDefaults;
import io.podvisor.api.Yaml;
import io.podvisor.core.DeterministicExecutor;
import io.podvisor.core.FakeClock;
import io.podvisor.kubelet.env.FieldRefs;
import io.podvisor.kubelet.env.NodeAllocatable;
import io.podvisor.kubelet.harness.NodeApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeManagerTest {

    private static final long GI = 1024L * 1024 * 1024;

    @TempDir
    Path tmp;

    private final NodeApi cluster = new NodeApi(new FakeClock(Instant.EPOCH), new DeterministicExecutor());
    private final RecordingMounter mounter = new RecordingMounter();

    private VolumeManager manager() {
        return new VolumeManager(tmp.resolve("root"), cluster.cluster(), mounter);
    }

    private static Pod pod(String volumesYaml) {
        return PodDefaults.apply(Yaml.read("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: default, uid: u1, labels: {app: web, tier: "a\\"b"}}
                spec:
                  containers:
                  - name: app
                    image: busybox
                    resources: {limits: {memory: 256Mi, cpu: 500m}}
                  volumes:
                """ + volumesYaml.indent(2), Pod.class));
    }

    private PodVolumes setUp(VolumeManager m, Pod p) {
        return m.setUp(new FieldRefs(p, "192.168.1.5", java.util.List.of(), new NodeAllocatable(4000, 8 * GI)),
                256L * 1024 * 1024, 8 * GI);
    }

    private Path vol(String plugin, String name) {
        return tmp.resolve("root/pods/u1/volumes").resolve(plugin).resolve(name);
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void emptyDirIsAWorldWritableDirectoryAndMemoryMediumIsATmpfsBoundedByTheSmallestLimit() throws Exception {
        Pod p = pod("""
                - {name: scratch, emptyDir: {}}
                - {name: cache, emptyDir: {medium: Memory, sizeLimit: 64Mi}}
                - {name: ram, emptyDir: {medium: Memory}}
                """);
        VolumeManager m = manager();
        PodVolumes v = setUp(m, p);

        assertThat(v.failures()).isEmpty();
        assertThat(v.volumes().get("scratch")).isEqualTo(new PodVolumes.Volume(vol("kubernetes.io~empty-dir", "scratch"), false));
        assertThat(perms(vol("kubernetes.io~empty-dir", "scratch"))).isEqualTo("rwxrwxrwx");
        assertThat(mounter.log()).containsExactly("mount cache size=67108864", "mount ram size=268435456");
        setUp(m, p);
        assertThat(mounter.log()).as("mounted once").hasSize(2);

        m.tearDown("u1");
        assertThat(mounter.log()).hasSize(4).contains("umount cache", "umount ram");
        assertThat(tmp.resolve("root/pods/u1")).doesNotExist();
    }

    @Test
    void aStoppingNodeUnmountsEveryPodsTmpfsAndKeepsTheDirectories() {
        VolumeManager m = manager();
        setUp(m, pod("- {name: ram, emptyDir: {medium: Memory}}"));
        assertThat(mounter.mountsUnder(tmp.resolve("root"))).hasSize(1);

        m.unmountAll();

        assertThat(mounter.log()).containsExactly("mount ram size=268435456", "umount ram");
        assertThat(mounter.mountsUnder(tmp.resolve("root"))).isEmpty();
        assertThat(vol("kubernetes.io~empty-dir", "ram")).isDirectory();
    }

    @Test
    void memoryMediumFallsBackToADirectoryWhenThisProcessCannotMount() {
        Pod p = pod("- {name: ram, emptyDir: {medium: Memory}}");
        PodVolumes v = new VolumeManager(tmp.resolve("root"), cluster.cluster(), Mounter.NONE).setUp(
                new FieldRefs(p, "", java.util.List.of(), new NodeAllocatable(1000, GI)), null, GI);
        assertThat(v.diskBacked()).containsExactly("ram");
        assertThat(vol("kubernetes.io~empty-dir", "ram")).isDirectory();
    }

    @Test
    void configMapItemsModesAndBinaryData() throws Exception {
        cluster.put(new ConfigMapBuilder().withNewMetadata().withName("app-config").endMetadata()
                .withData(Map.of("app.properties", "a=1\n", "level", "debug"))
                .withBinaryData(Map.of("blob", Base64.getEncoder().encodeToString(new byte[] {0, 1, 2}))).build());
        Pod p = pod("""
                - name: all
                  configMap: {name: app-config}
                - name: some
                  configMap:
                    name: app-config
                    defaultMode: 0600
                    items:
                    - {key: app.properties, path: conf/app.properties}
                    - {key: level, path: level.txt, mode: 0444}
                """);
        PodVolumes v = setUp(manager(), p);

        Path all = vol("kubernetes.io~configmap", "all");
        assertThat(v.volumes().get("all")).isEqualTo(new PodVolumes.Volume(all, true));
        assertThat(all.resolve("app.properties")).hasContent("a=1");
        assertThat(Files.readAllBytes(all.resolve("blob"))).containsExactly(0, 1, 2);
        assertThat(perms(all.resolve("level"))).isEqualTo("rw-r--r--");
        Path some = vol("kubernetes.io~configmap", "some");
        assertThat(some.resolve("conf/app.properties")).hasContent("a=1");
        assertThat(perms(some.resolve("conf/app.properties"))).isEqualTo("rw-------");
        assertThat(perms(some.resolve("level.txt"))).isEqualTo("r--r--r--");
        assertThat(visible(some)).containsExactlyInAnyOrder("conf", "level.txt");
        assertThat(Files.readSymbolicLink(some.resolve("level.txt"))).isEqualTo(Path.of("..data/level.txt"));
        assertThat(Files.isSymbolicLink(some.resolve("..data"))).isTrue();
    }

    @Test
    void secretWithDefaultModeAndRefreshRemovesDroppedKeys() throws Exception {
        cluster.put(new SecretBuilder().withNewMetadata().withName("db").endMetadata()
                .withData(Map.of("user", b64("admin"), "password", b64("s3cret"))).build());
        Pod p = pod("- {name: creds, secret: {secretName: db, defaultMode: 0400}}");
        VolumeManager m = manager();
        setUp(m, p);
        Path dir = vol("kubernetes.io~secret", "creds");
        assertThat(dir.resolve("password")).hasContent("s3cret");
        assertThat(perms(dir.resolve("password"))).isEqualTo("r--------");

        cluster.put(new SecretBuilder().withNewMetadata().withName("db").endMetadata()
                .withData(Map.of("password", b64("rotated"))).build());
        setUp(m, p);
        assertThat(dir.resolve("password")).hasContent("rotated");
        assertThat(dir.resolve("user")).doesNotExist();
    }

    @Test
    void missingConfigMapBlocksUntilItExistsThenAFailedRefreshKeepsTheOldContent() throws Exception {
        Pod p = pod("- {name: cfg, configMap: {name: app-config}}");
        VolumeManager m = manager();
        PodVolumes first = setUp(m, p);
        assertThat(first.blocking()).isTrue();
        assertThat(first.failures()).singleElement().extracting(VolumeException::eventMessage)
                .isEqualTo("MountVolume.SetUp failed for volume \"cfg\" : configmap \"app-config\" not found");

        cluster.put(new ConfigMapBuilder().withNewMetadata().withName("app-config").endMetadata()
                .withData(Map.of("k", "v")).build());
        assertThat(setUp(m, p).blocking()).isFalse();

        cluster.delete(ConfigMap.class, "default", "app-config");
        PodVolumes refresh = setUp(m, p);
        assertThat(refresh.blocking()).isFalse();
        assertThat(refresh.failures()).hasSize(1);
        assertThat(refresh.volumes().get("cfg").hostPath().resolve("k")).hasContent("v");
    }

    @Test
    void optionalSourcesAndMissingKeys() throws Exception {
        cluster.put(new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata().withData(Map.of("a", "1")).build());
        Pod p = pod("""
                - {name: opt, configMap: {name: absent, optional: true}}
                - {name: key, configMap: {name: cm, items: [{key: b, path: b}]}}
                - {name: optkey, configMap: {name: cm, optional: true, items: [{key: b, path: b}]}}
                - {name: sec, secret: {secretName: cm, items: [{key: b, path: b}]}}
                """);
        PodVolumes v = setUp(manager(), p);
        assertThat(v.failures()).extracting(VolumeException::eventMessage).containsExactly(
                "MountVolume.SetUp failed for volume \"key\" : configmap references non-existent config key: b",
                "MountVolume.SetUp failed for volume \"sec\" : secret \"cm\" not found");
        assertThat(visible(vol("kubernetes.io~configmap", "opt"))).isEmpty();
        assertThat(visible(vol("kubernetes.io~configmap", "optkey"))).isEmpty();
    }

    /** The names in a volume directory but the atomic writer's own ({@code ..data}, versions). */
    private static java.util.List<String> visible(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith("..")).toList();
        }
    }

    @Test
    void downwardApiAndProjectedFiles() throws Exception {
        cluster.put(new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata().withData(Map.of("a", "1")).build());
        Pod p = pod("""
                - name: info
                  downwardAPI:
                    items:
                    - {path: name, fieldRef: {fieldPath: metadata.name}}
                    - {path: labels, fieldRef: {fieldPath: metadata.labels}}
                    - {path: mem, resourceFieldRef: {containerName: app, resource: limits.memory, divisor: 1Mi}}
                    - {path: cpu, resourceFieldRef: {containerName: app, resource: limits.cpu, divisor: 1m}, mode: 0400}
                - name: all-in-one
                  projected:
                    defaultMode: 0440
                    sources:
                    - configMap: {name: cm}
                    - downwardAPI: {items: [{path: ns, fieldRef: {fieldPath: metadata.namespace}}]}
                """);
        setUp(manager(), p);
        Path info = vol("kubernetes.io~downward-api", "info");
        assertThat(info.resolve("name")).hasContent("web");
        assertThat(Files.readString(info.resolve("labels"))).isEqualTo("app=\"web\"\ntier=\"a\\\"b\"");
        assertThat(info.resolve("mem")).hasContent("256");
        assertThat(info.resolve("cpu")).hasContent("500");
        assertThat(perms(info.resolve("cpu"))).isEqualTo("r--------");
        Path proj = vol("kubernetes.io~projected", "all-in-one");
        assertThat(proj.resolve("a")).hasContent("1");
        assertThat(proj.resolve("ns")).hasContent("default");
        assertThat(perms(proj.resolve("ns"))).isEqualTo("r--r-----");
    }

    @Test
    void hostPathTypesAreCheckedAndCreatedAsUpstream() throws Exception {
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        Pod p = pod("""
                - {name: d, hostPath: {path: %1$s/dir, type: Directory}}
                - {name: notdir, hostPath: {path: %1$s/file.txt, type: Directory}}
                - {name: notfile, hostPath: {path: %1$s/dir, type: File}}
                - {name: mkdir, hostPath: {path: %1$s/new/sub, type: DirectoryOrCreate}}
                - {name: touch, hostPath: {path: %1$s/dir/new.txt, type: FileOrCreate}}
                - {name: noparent, hostPath: {path: %1$s/nope/x.txt, type: FileOrCreate}}
                - {name: sock, hostPath: {path: %1$s/dir, type: Socket}}
                - {name: any, hostPath: {path: %1$s/unset}}
                """.formatted(tmp));
        PodVolumes v = setUp(manager(), p);
        assertThat(v.failures()).extracting(VolumeException::getMessage).containsExactly(
                "hostPath type check failed: " + file + " is not a directory",
                "hostPath type check failed: " + dir + " is not a file",
                "open " + tmp + "/nope/x.txt: no such file or directory",
                "hostPath type check failed: " + dir + " is not a socket file");
        assertThat(v.volumes().get("d")).isEqualTo(new PodVolumes.Volume(dir, false));
        assertThat(perms(tmp.resolve("new/sub"))).isEqualTo("rwxr-xr-x");
        assertThat(tmp.resolve("dir/new.txt")).isRegularFile();
        assertThat(perms(tmp.resolve("dir/new.txt"))).isEqualTo("rw-r--r--");
        assertThat(tmp.resolve("unset")).isDirectory();
        assertThat(tmp.resolve("root/pods/u1/volumes")).doesNotExist();
    }

    @Test
    void withoutARootDirectoryNothingIsWrittenButSourcesAreStillChecked() {
        Pod p = pod("""
                - {name: scratch, emptyDir: {}}
                - {name: cfg, configMap: {name: app-config}}
                """);
        PodVolumes v = new VolumeManager(null, cluster.cluster(), mounter).setUp(
                new FieldRefs(p, "", java.util.List.of(), new NodeAllocatable(1000, GI)), null, GI);
        assertThat(v.volumes()).isEmpty();
        assertThat(v.blocking()).isTrue();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes());
    }
}
