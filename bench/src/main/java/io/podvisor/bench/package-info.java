/**
 * Benchmarks, run with {@code bench/run NAME}: each measures podvisor and a baseline in the same
 * run (a JVM hello world, a bare {@code runc run}, raw SQLite, real time) and prints medians and
 * percentiles with their ratio and the target (see {@code bench/README.md}).
 */
package io.podvisor.bench;
