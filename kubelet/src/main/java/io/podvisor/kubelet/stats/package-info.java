/** The kubelet's resource samples of its containers and node, served as the metrics API. */
package io.podvisor.kubelet.stats;
