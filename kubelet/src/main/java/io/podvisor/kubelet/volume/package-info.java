/**
 * Pod volumes on the node, laid out as upstream does under the kubelet's root directory:
 * {@code <rootDir>/pods/<uid>/volumes/<plugin>/<name>} with plugins {@code kubernetes.io~empty-dir},
 * {@code kubernetes.io~configmap}, {@code kubernetes.io~secret}, {@code kubernetes.io~downward-api}
 * and {@code kubernetes.io~projected}; a hostPath volume is the host path itself.
 * {@link io.podvisor.kubelet.volume.VolumeManager} sets them up before a pod's containers start and
 * tears them down when the pod is removed; {@link io.podvisor.kubelet.volume.ContainerMounts} turns
 * a container's {@code volumeMounts} into the runtime's bind mounts.
 */
package io.podvisor.kubelet.volume;
