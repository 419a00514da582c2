package io.podvisor.kubelet.images;

import io.podvisor.runtime.image.ImageReference;

/** Parses a container's image as the kubelet does before anything else, with its error texts. */
final class ImageNames {

    private ImageNames() {}

    /**
     * The normalized reference {@code image} names ({@code busybox} → {@code docker.io/library/busybox:latest}).
     *
     * @throws IllegalArgumentException with upstream's text, e.g. {@code couldn't parse image name "Foo":
     *     invalid reference format: repository name (library/Foo) must be lowercase}
     */
    static ImageReference parse(String image) {
        try {
            return ImageReference.parse(image);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("couldn't parse image name \"" + image + "\": " + reason(image), e);
        }
    }

    /** Docker's reason: an upper-case repository name is named as such, anything else is a bad format. */
    private static String reason(String image) {
        String remainder = image;
        int slash = image.indexOf('/');
        boolean hub = slash < 0;
        if (slash >= 0) {
            String first = image.substring(0, slash);
            boolean domain = first.contains(".") || first.contains(":") || first.equals("localhost")
                    || !first.equals(first.toLowerCase());
            hub = !domain || first.equals("docker.io") || first.equals("index.docker.io");
            remainder = domain ? image.substring(slash + 1) : image;
        }
        if (hub && !remainder.contains("/")) {
            remainder = "library/" + remainder;
        }
        int colon = remainder.indexOf(':');
        String remote = colon >= 0 ? remainder.substring(0, colon) : remainder;
        if (!remote.equals(remote.toLowerCase())) {
            return "invalid reference format: repository name (" + remote + ") must be lowercase";
        }
        return "invalid reference format";
    }
}
