package io.podvisor.runtime.image;

import io.podvisor.runtime.RuntimeFailure;

/** Where runtimes find the images containers run from. Thread-safe. */
public interface ImageStore {

    /**
     * The image {@code reference} names (normalized as Docker does: {@code busybox} is
     * {@code docker.io/library/busybox:latest}).
     *
     * @throws RuntimeFailure if the store does not hold it; the message says which image
     */
    ImageConfig resolve(String reference) throws RuntimeFailure;
}
