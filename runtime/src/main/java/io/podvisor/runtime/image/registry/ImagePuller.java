package io.podvisor.runtime.image.registry;

import io.podvisor.runtime.RuntimeFailure;
import io.podvisor.runtime.image.ImageInfo;
import io.podvisor.runtime.image.OciImageStore;
import io.podvisor.runtime.image.PullProgress;
import io.podvisor.runtime.image.RegistryAuth;
import java.util.List;
import java.util.Set;

/**
 * Pulls images over the OCI distribution API into an {@link OciImageStore}.
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

    private final OciImageStore store;
    private final Options options;

    public ImagePuller(OciImageStore store, Options options) {
        this.store = store;
        this.options = options;
    }

    /**
     * Pulls {@code reference} and installs it; blocks until done.
     *
     * @throws RuntimeFailure with the error text users see (the kubelet shows it as {@code ErrImagePull}'s message)
     */
    public ImageInfo pull(String reference, List<RegistryAuth> auths, PullProgress progress) throws RuntimeFailure {
        throw new UnsupportedOperationException("not yet");
    }
}
