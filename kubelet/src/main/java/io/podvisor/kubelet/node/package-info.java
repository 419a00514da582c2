/**
 * The node's own API objects: the Node (registration and status, from the machine's facts) and its
 * heartbeat Lease in {@code kube-node-lease}.
 */
package io.podvisor.kubelet.node;
