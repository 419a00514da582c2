/**
 * The runc runtime: OCI containers on Linux through the {@code runc} binary, as root. A sandbox is a
 * network namespace (from {@link io.podvisor.runtime.net.PodNetworks}), IPC and UTS namespaces kept
 * alive by bind-mounted files, a pod cgroup and the pod's {@code /etc/hosts}, {@code resolv.conf} and
 * {@code hostname} files; a container is an OCI bundle whose root is an overlay over the image's
 * unpacked root filesystem, run in the foreground by {@code runc run} so the JVM waits for its exit.
 */
package io.podvisor.runtime.runc;
