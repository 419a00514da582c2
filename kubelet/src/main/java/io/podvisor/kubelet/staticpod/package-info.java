/**
 * Static pods: pods defined by manifest files in a directory on the node rather than in the API
 * ({@link io.podvisor.kubelet.staticpod.StaticPodSource}, {@link io.podvisor.kubelet.staticpod.StaticPodManifest}).
 */
package io.podvisor.kubelet.staticpod;
