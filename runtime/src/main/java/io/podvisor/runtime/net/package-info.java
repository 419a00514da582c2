/**
 * Pod networking on a Linux host: a bridge, a network namespace and veth per sandbox, addresses from
 * the pod CIDR; and the probes' way into pods from the host ({@link io.podvisor.runtime.net.HostPodNetwork}).
 */
package io.podvisor.runtime.net;
