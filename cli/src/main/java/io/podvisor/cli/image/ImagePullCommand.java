package io.podvisor.cli.image;

import io.podvisor.core.SystemClock;
import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.image.ImageInfo;
import io.podvisor.runtime.image.OciImageStore;
import io.podvisor.runtime.image.RegistryAuth;
import io.podvisor.runtime.image.registry.ImagePuller;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code podvisor image pull REF --data-dir DIR}: pulls an image from its registry into the data
 * directory's image store, showing the download as it goes, then {@code Pulled <ref> (<id>) in 1.2s}.
 */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Pull an image from its registry into the data directory's image store.")
public final class ImagePullCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REF", description = "The image, e.g. busybox:1.36 or localhost:5000/app@sha256:…")
    String reference;

    @Mixin
    DataDirOption data;

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "A registry to reach over plain HTTP (loopback registries always are); repeatable.")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--username", description = "The registry user name (with --password).")
    String username;

    @Option(names = "--password", description = "The registry password or access token (with --username).")
    String password;

    @Override
    public Integer call() throws java.io.IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((username == null) != (password == null)) {
            err.println("podvisor: --username and --password go together");
            return 2;
        }
        List<RegistryAuth> auths = username == null ? List.of() : List.of(new RegistryAuth(username, password, ""));
        OciImageStore store = data.store();
        ImagePuller puller = new ImagePuller(store, new ImagePuller.Options(Set.copyOf(insecureRegistries)));
        try (SystemClock clock = new SystemClock()) {
            Instant start = clock.now();
            PullPrinter printer = new PullPrinter(out, clock, isTerminal());
            try {
                ImageInfo info = puller.pull(reference, auths, printer);
                printer.finish();
                out.println("Pulled " + printer.reference(reference) + " (" + info.id() + ") in "
                        + seconds(Duration.between(start, clock.now())));
                out.flush();
                return 0;
            } catch (RuntimeFailure e) {
                printer.finish();
                out.flush();
                err.println("podvisor: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
    }

    private static boolean isTerminal() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    /** {@code 45ms} under a second, else {@code 1.2s}. */
    static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis < 1000 ? millis + "ms" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
