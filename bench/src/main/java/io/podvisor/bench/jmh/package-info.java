/**
 * JMH microbenchmarks of hot paths, run with {@code bench/run jmh [JMH options]}: the kubelet's pod
 * status functions (phase and conditions), server-side Table printing of a pod list, and a
 * strategic merge patch of a pod. Every benchmark hands its result to a {@code Blackhole} or
 * returns it, so the work cannot be optimized away.
 */
package io.podvisor.bench.jmh;
