/**
 * Linux host plumbing shared by the real runtimes: cgroups (v1 and v2 behind
 * {@link io.podvisor.runtime.linux.Cgroups}, laid out as the kubelet lays out {@code kubepods}:
 * {@code /<name>/[burstable|besteffort/]pod<uid>/<container>}) and host commands
 * ({@link io.podvisor.runtime.linux.HostCommand}). Cgroups are plain files written by the JVM;
 * everything that enters namespaces or changes the network is done by child processes
 * ({@code runc}, {@code ip}, {@code mount}), never by the JVM's own threads.
 */
package io.podvisor.runtime.linux;
