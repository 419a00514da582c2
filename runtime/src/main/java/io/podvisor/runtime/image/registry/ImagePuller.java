package io.podvisor.runtime.image.registry;

import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.image.ImageInfo;
import io.podvisor.runtime.image.ImageReference;
import io.podvisor.runtime.image.OciImageStore;
import io.podvisor.runtime.image.PullProgress;
import io.podvisor.runtime.image.RegistryAuth;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Pulls images over the OCI distribution API into an {@link OciImageStore}.
 *
 * <p>{@code docker.io} is reached at {@code registry-1.docker.io}, other registries at their host. HTTPS
 * always, except plain HTTP for loopback registries ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1})
 * and those listed in {@link Options#insecureRegistries()}. An index (OCI index or Docker manifest list)
 * is narrowed to this machine's platform; every document and blob is verified against its digest while it
 * streams into the store; blobs already present are not downloaded. Errors are worded as containerd's,
 * since the kubelet shows them in {@code ErrImagePull} events. Thread-safe: each pull is independent.
 */
public final class ImagePuller {

    /**
     * @param insecureRegistries hosts ({@code host[:port]}) that may be reached over plain HTTP besides loopback
     */
    public record Options(Set<String> insecureRegistries) {
        public Options {
            insecureRegistries = Set.copyOf(insecureRegistries);
        }

        public static Options defaults() {
            return new Options(Set.of());
        }
    }

    private static final String DOCKER_HUB_ENDPOINT = "registry-1.docker.io";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final OciImageStore store;
    private final Options options;
    private final Platform platform;
    private final HttpClient http;

    public ImagePuller(OciImageStore store, Options options) {
        this(store, options, Platform.current());
    }

    /** A puller choosing {@code platform}'s manifest out of indexes (tests pull for other architectures). */
    public ImagePuller(OciImageStore store, Options options, Platform platform) {
        this.store = store;
        this.options = options;
        this.platform = platform;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /**
     * Pulls {@code reference} and installs it; blocks until done.
     *
     * @throws RuntimeFailure with the error text users see (the kubelet shows it as {@code ErrImagePull}'s message)
     */
    public ImageInfo pull(String reference, List<RegistryAuth> auths, PullProgress progress) throws RuntimeFailure {
        ImageReference ref;
        try {
            ref = ImageReference.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new RuntimeFailure("failed to pull and unpack image \"" + reference + "\": " + e.getMessage());
        }
        String name = ref.toString();
        RegistryClient client = new RegistryClient(http, endpoint(ref.domain()), ref.repository(), auths);
        PullJob job = new PullJob(client, store, ref, platform, progress);
        try {
            PullJob.Resolved resolved;
            try {
                resolved = job.resolve();
            } catch (RegistryException e) {
                throw new RegistryException("failed to resolve reference \"" + name + "\": " + e.getMessage(), e);
            }
            PullJob.Target target = job.target(resolved);
            job.fetch(target);
            progress.unpacking(name);
            return store.install(name, target.manifestDigest(), target.repoDigest());
        } catch (RegistryException | IOException e) {
            throw new RuntimeFailure("failed to pull and unpack image \"" + name + "\": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure("failed to pull and unpack image \"" + name + "\": context canceled", e);
        }
    }

    /** Where {@code domain}'s registry API lives: {@code https://host[:port]}, or {@code http://} when allowed. */
    URI endpoint(String domain) {
        String host = domain.equals(ImageReference.DOCKER_HUB) ? DOCKER_HUB_ENDPOINT : domain;
        return URI.create((plainHttpAllowed(domain) ? "http://" : "https://") + host);
    }

    private boolean plainHttpAllowed(String domain) {
        String host = hostOf(domain);
        return isLoopback(host) || options.insecureRegistries().contains(domain)
                || options.insecureRegistries().contains(host);
    }

    /** The host of {@code host[:port]} or {@code [v6][:port]}, without brackets. */
    static String hostOf(String domain) {
        if (domain.startsWith("[")) {
            int end = domain.indexOf(']');
            return end < 0 ? domain : domain.substring(1, end);
        }
        int colon = domain.indexOf(':');
        return colon < 0 ? domain : domain.substring(0, colon);
    }

    /** {@code localhost} or a loopback address literal (no name is looked up). */
    static boolean isLoopback(String host) {
        if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        if (!IPV4.matcher(host).matches() && !host.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
