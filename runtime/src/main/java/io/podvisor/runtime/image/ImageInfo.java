package io.podvisor.runtime.image;

import java.util.List;

/**
 * An image present in a store.
 *
 * @param id          the image id: the digest of its config ({@code sha256:…})
 * @param repoTags    the tagged references naming it, normalized ({@code docker.io/library/busybox:1.36})
 * @param repoDigests the digest references it was pulled by or as ({@code docker.io/library/busybox@sha256:…})
 * @param size        bytes of its layers as stored (compressed), as the kubelet's {@code Image size} reports
 */
public record ImageInfo(String id, List<String> repoTags, List<String> repoDigests, long size) {
    public ImageInfo {
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
    }

    /** The reference a container status shows as {@code imageID}: the first repo digest, else the id. */
    public String imageRef() {
        return repoDigests.isEmpty() ? id : repoDigests.getFirst();
    }
}
