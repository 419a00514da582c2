/**
 * The control-plane loops that run next to the node: the Job controller, the Endpoints and
 * EndpointSlice controller, a single-node scheduler and the garbage collector, plus the pieces
 * they share (a deduplicating work queue on a {@link io.podvisor.core.KeyedExecutor}, object keys,
 * owner references, random name suffixes). Each controller has a synchronous step
 * ({@code sync(key)}) that reads the current state through
 * {@link io.podvisor.api.client.ObjectClient} and acts; watch handlers only enqueue keys.
 */
package io.podvisor.controllers;
