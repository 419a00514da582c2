package io.podvisor.runtime.image;

import java.util.regex.Pattern;

/**
 * An image reference normalized as Docker does: {@code busybox} is {@code docker.io/library/busybox:latest},
 * {@code registry.k8s.io/pause} is {@code registry.k8s.io/pause:latest}, a digest ({@code @sha256:…})
 * replaces the tag.
 *
 * @param domain     the registry, e.g. {@code docker.io} or {@code localhost:5000}
 * @param repository the path within it, e.g. {@code library/busybox}
 * @param tag        the tag, or null when {@code digest} is given
 * @param digest     {@code <algorithm>:<hex>}, or null
 */
public record ImageReference(String domain, String repository, String tag, String digest) {

    /** Docker Hub's canonical domain. */
    public static final String DOCKER_HUB = "docker.io";

    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}");

    /**
     * Parses and normalizes {@code reference}.
     *
     * @throws IllegalArgumentException with Docker's wording if it is not a valid reference
     */
    public static ImageReference parse(String reference) {
        if (reference == null || reference.isEmpty()) {
            throw new IllegalArgumentException("invalid reference format");
        }
        String rest = reference;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new IllegalArgumentException("invalid reference format");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("invalid reference format");
            }
        }
        String domain = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase())) {
                domain = first.equals("index.docker.io") ? DOCKER_HUB : first;
                rest = rest.substring(slash + 1);
            }
        }
        if (domain.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (!rest.equals(rest.toLowerCase())) {
            throw new IllegalArgumentException("invalid reference format: repository name must be lowercase");
        }
        for (String part : rest.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(part).matches()) {
                throw new IllegalArgumentException("invalid reference format");
            }
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(domain, rest, digest != null ? null : tag, digest);
    }

    /** The tag, or the digest when there is one: the last part of the reference. */
    public String version() {
        return digest != null ? digest : tag;
    }

    /** The normalized form, e.g. {@code docker.io/library/busybox:latest} or {@code …/busybox@sha256:…}. */
    @Override
    public String toString() {
        return domain + "/" + repository + (digest != null ? "@" + digest : ":" + tag);
    }
}
