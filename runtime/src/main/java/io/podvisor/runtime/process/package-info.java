/**
 * The process runtime: containers are host processes, each in its own session and process group
 * (and, as root, its own cgroup), for machines without root or runc. Images, volumes, users and
 * namespaces are not available; what a container asks for that cannot be given is refused at
 * create time as a configuration error.
 */
package io.podvisor.runtime.process;
