package io.podvisor.runtime.image;

import io.podvisor.runtime.RuntimeFailure;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A runtime's images, as the CRI image service offers them: what is present, pulling, listing and
 * removing. References are normalized as Docker does ({@code busybox} is
 * {@code docker.io/library/busybox:latest}). Thread-safe.
 */
public interface ImageService extends ImageStore {

    /** The image {@code reference} names, if present; empty when absent or not a valid reference. */
    Optional<ImageInfo> status(String reference);

    /**
     * Pulls {@code reference} (by tag or digest) and makes it present. Concurrent pulls of the same
     * reference share one download. Never blocks the caller: completes when the image is present,
     * or exceptionally with a {@link RuntimeFailure} whose message is the pull error shown to users.
     *
     * @param auths    credentials to try in order (empty: anonymous)
     * @param progress told about the download as it goes; may be {@link PullProgress#NONE}
     */
    CompletionStage<ImageInfo> pull(String reference, List<RegistryAuth> auths, PullProgress progress);

    /**
     * Lets {@code observer} hear every download this service makes from now on, whoever asked for
     * it (a display of pulls started by the kubelet). A service that never downloads ignores it.
     */
    default void observe(PullProgress observer) {}

    /** Every image present, by reference. */
    List<ImageInfo> list();

    /**
     * Removes the reference; the image's content goes when no reference holds it any more.
     *
     * @throws RuntimeFailure if the reference is unknown or a container uses the image
     */
    void remove(String reference) throws RuntimeFailure;
}
