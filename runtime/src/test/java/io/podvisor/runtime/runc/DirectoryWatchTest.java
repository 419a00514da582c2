package io.podvisor.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryWatchTest {

    @TempDir
    Path dir;

    /** More starts at once than the host's default limit of inotify instances per user (128). */
    private static final int STARTS = 200;

    @Test
    void manyDirectoriesAreWatchedThroughOneInotifyInstanceAndEachHearsOfItsOwnFile() throws Exception {
        long before = inotifyInstances();
        CountDownLatch heard = new CountDownLatch(STARTS);
        List<DirectoryWatch.Registration> registrations = new ArrayList<>();
        List<CountDownLatch> perDir = new ArrayList<>();
        try (DirectoryWatch watch = new DirectoryWatch()) {
            for (int i = 0; i < STARTS; i++) {
                Path d = Files.createDirectory(dir.resolve("c" + i));
                CountDownLatch mine = new CountDownLatch(1);
                perDir.add(mine);
                registrations.add(watch.register(d, () -> {
                    if (mine.getCount() > 0) {
                        mine.countDown();
                        heard.countDown();
                    }
                }));
            }
            assertThat(inotifyInstances() - before).isEqualTo(1);
            for (int i = 0; i < STARTS; i += 2) {
                Files.writeString(dir.resolve("c" + i).resolve("pid"), "42");
            }
            for (int i = 0; i < STARTS; i += 2) {
                assertThat(perDir.get(i).await(10, TimeUnit.SECONDS)).as("directory c" + i).isTrue();
            }
            assertThat(heard.getCount()).as("directories without a file heard nothing").isEqualTo(STARTS / 2);

            registrations.get(1).close();
            registrations.get(1).close(); // idempotent
            Files.writeString(dir.resolve("c1").resolve("pid"), "42");
            Files.writeString(dir.resolve("c3").resolve("pid"), "42");
            assertThat(perDir.get(3).await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(perDir.get(1).getCount()).as("a closed registration is not called").isEqualTo(1);
        }
        assertThat(inotifyInstances()).isEqualTo(before);
    }

    private static long inotifyInstances() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals("anon_inode:inotify");
                } catch (Exception e) {
                    return false;
                }
            }).count();
        }
    }
}
