/**
 * The kubelet's image semantics (spec §14): {@link io.podvisor.kubelet.images.ImageManager} decides
 * per container start whether its image is ready, must be pulled, or cannot be had (pull policy,
 * back-off per pod and image, one pull at a time on the node), and
 * {@link io.podvisor.kubelet.images.DockerKeyring} finds the credentials of a pod's
 * {@code imagePullSecrets} for an image's registry.
 */
package io.podvisor.kubelet.images;
