/**
 * Foundations with no Kubernetes knowledge: the injected {@link io.podvisor.core.Clock} and its
 * virtual-time twin, per-key back-off, keyed serial executors, periodic tasks and Go-style duration
 * formatting.
 */
package io.podvisor.core;
