/**
 * Linux host plumbing shared by the real runtimes: cgroups (v1 and v2 behind one interface), mounts
 * and host commands. Everything that enters namespaces or changes the host is done by child
 * processes ({@code runc}, {@code ip}, {@code mount}), never by the JVM's own threads.
 */
package io.podvisor.runtime.linux;
