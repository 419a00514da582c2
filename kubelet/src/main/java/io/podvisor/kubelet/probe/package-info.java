/** Startup, liveness and readiness probes: workers on the clock, runners, published results. */
package io.podvisor.kubelet.probe;
