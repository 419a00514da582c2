package io.podvisor.runtime.image;

/** Hears how a pull goes. Called from the pulling thread; implementations must be quick. */
public interface PullProgress {

    /** Hears nothing. */
    PullProgress NONE = new PullProgress() {};

    /** The manifest is resolved: {@code layers} blobs of {@code totalBytes} in all are needed. */
    default void resolved(String reference, String manifestDigest, int layers, long totalBytes) {}

    /** {@code done} of {@code total} bytes of blob {@code digest} are in ({@code total} -1 if unknown). */
    default void blob(String digest, long done, long total) {}

    /** Blob {@code digest} was already present and is not downloaded. */
    default void blobPresent(String digest) {}

    /** Layers are being unpacked into the root filesystem. */
    default void unpacking(String reference) {}
}
