/** What a node agent reads through the client layer: the kubelet's cache-backed {@code ClusterClient}. */
package io.podvisor.client.node;
