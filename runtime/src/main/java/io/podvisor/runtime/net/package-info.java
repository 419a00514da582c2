/**
 * Pod networking on a Linux host: {@link io.podvisor.runtime.net.PodNetworks} (a bridge holding the
 * gateway address, a network namespace and veth per sandbox, addresses from the pod CIDR recorded
 * as files, all through iproute2; no NAT or filter rules) and the probes' way into pods from the
 * host ({@link io.podvisor.runtime.net.HostPodNetwork}: HTTP(S) GETs on Jetty's HTTP client, TCP connects,
 * gRPC health checks over HTTP/2 cleartext), whose failures read as the kubelet's Go texts.
 */
package io.podvisor.runtime.net;
