/**
 * Reading container logs for {@code kubectl logs}: which instance a request means
 * ({@link io.podvisor.kubelet.logs.LogTarget}), reading CRI log files incrementally
 * ({@link io.podvisor.kubelet.logs.CriLogFile}), applying the request's options
 * ({@link io.podvisor.kubelet.logs.LogWriter}) and waking followers
 * ({@link io.podvisor.kubelet.logs.LogWaiters}).
 */
package io.podvisor.kubelet.logs;
