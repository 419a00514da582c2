package io.podvisor.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.net.PodNetworks;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's instance registry on a directory of its own: a live instance (held by this JVM or by
 * another process) is never swept, a dead one (its process killed with -9) is handed to the remover
 * and its record removed, and names, network prefixes and pod CIDRs of live instances are not given
 * out twice.
 */
class HostInstancesTest {

    @TempDir
    Path root;

    final List<HostInstances.Entry> removed = new ArrayList<>();

    HostInstances registry() {
        return new HostInstances(root);
    }

    HostInstances.Policy policy() {
        return new HostInstances.Policy(() -> PodNetworks.AUTO_CIDRS, PodNetworks::overlap, removed::add);
    }

    @Test
    void aDeadInstanceWhoseObjectsCouldNotAllBeRemovedIsKeptForTheNextSweep() throws Exception {
        Path dir = Files.createDirectories(root.resolve("pvy"));
        Files.writeString(dir.resolve("instance.json"), """
                {"name":"pvy","kind":"runc","pid":1,"stateDir":"/gone","networkPrefix":"pvy","podCidr":"10.90.0.0/16"}""");
        Files.createFile(dir.resolve("lock"));
        assertThat(registry().sweep(e -> false)).isEmpty();
        assertThat(Files.exists(dir.resolve("instance.json"))).isTrue();
        assertThat(registry().sweep(removed::add)).isEmpty();
        assertThat(removed).extracting(HostInstances.Entry::name).containsExactly("pvy");
        assertThat(Files.exists(dir)).isFalse();
    }

    static HostInstances.Entry entry(String name, String prefix, String cidr) {
        return new HostInstances.Entry(name, "runc", ProcessHandle.current().pid(), "/data/" + name, false,
                "/data/" + name + "/runtime", null, prefix, cidr);
    }

    @Test
    void aLiveInstanceOfThisJvmIsKeptAndItsCidrIsNotGivenOutAgain() throws Exception {
        try (var a = registry().claim(entry("pva", "pva", null), policy());
             var b = registry().claim(entry("pvb", "pvb", null), policy())) {
            assertThat(a.entry().podCidr()).isEqualTo("10.88.0.0/16");
            assertThat(b.entry().podCidr()).isEqualTo("10.89.0.0/16");
            assertThat(removed).isEmpty();
            assertThat(registry().sweep(removed::add)).extracting(HostInstances.Entry::name)
                    .containsExactlyInAnyOrder("pva", "pvb");
        }
        try (var s = Files.list(root)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .as("released instances leave nothing but the registry's lock").containsExactly(".lock");
        }
    }

    @Test
    void aNameNetworkPrefixOrCidrThatALiveInstanceHasIsRefused() throws Exception {
        try (var a = registry().claim(entry("pva", "pva", "10.200.0.0/16"), policy())) {
            assertThatThrownBy(() -> registry().claim(entry("pva", "pvz", null), policy()))
                    .isInstanceOf(RuntimeFailure.class)
                    .hasMessageContaining("runtime instance pva is in use by process " + ProcessHandle.current().pid())
                    .hasMessageContaining("data dir /data/pva");
            assertThatThrownBy(() -> registry().claim(entry("pvq", "pva", null), policy()))
                    .isInstanceOf(RuntimeFailure.class)
                    .hasMessageContaining("network prefix pva of runtime instance pvq is in use by instance pva");
            assertThatThrownBy(() -> registry().claim(entry("pvc", "pvc", "10.200.3.0/24"), policy()))
                    .isInstanceOf(RuntimeFailure.class)
                    .hasMessage("pod CIDR 10.200.3.0/24 overlaps 10.200.0.0/16 of the node running on this host with "
                            + "data dir /data/pva (process " + ProcessHandle.current().pid() + "); choose another --pod-cidr");
            assertThat(Files.exists(root.resolve("pvc"))).isFalse();
        }
    }

    @Test
    void anInstanceHeldByAnotherProcessIsLiveUntilThatProcessIsKilled() throws Exception {
        Process holder = startHolder("pvh", "10.88.0.0/16");
        try {
            try (var mine = registry().claim(entry("pvm", "pvm", null), policy())) {
                assertThat(removed).isEmpty();
                assertThat(mine.entry().podCidr()).as("the other process's CIDR is taken").isEqualTo("10.89.0.0/16");
            }
        } finally {
            holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        try (var mine = registry().claim(entry("pvm", "pvm", null), policy())) {
            assertThat(removed).extracting(HostInstances.Entry::name).containsExactly("pvh");
            assertThat(removed.getFirst().pid()).isEqualTo(holder.pid());
            assertThat(Files.exists(root.resolve("pvh"))).isFalse();
            assertThat(mine.entry().podCidr()).isEqualTo("10.88.0.0/16");
        }
    }

    @Test
    void aRecordWithoutItsLockIsDeadAndRemoved() throws Exception {
        Path dir = Files.createDirectories(root.resolve("pvx"));
        Files.writeString(dir.resolve("instance.json"), """
                {"name":"pvx","kind":"runc","pid":1,"stateDir":"/gone","networkPrefix":"pvx","podCidr":"10.90.0.0/16"}""");
        assertThat(registry().sweep(removed::add)).isEmpty();
        assertThat(removed).extracting(HostInstances.Entry::podCidr).containsExactly("10.90.0.0/16");
        assertThat(Files.exists(dir)).isFalse();
    }

    /** A child JVM that claims {@code name} in {@link #root} and holds it until killed. */
    private Process startHolder(String name, String cidr) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(),
                root.toString(), name, cidr).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("claimed " + name);
        return p;
    }

    /** The holder's program. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            var claim = new HostInstances(Path.of(args[0])).claim(
                    new HostInstances.Entry(args[1], "runc", ProcessHandle.current().pid(), null, false, "/gone",
                            null, args[1], args[2]),
                    new HostInstances.Policy(List::of, PodNetworks::overlap, e -> true));
            System.out.println("claimed " + claim.entry().name());
            System.out.flush();
            Thread.currentThread().join();
        }
    }
}
