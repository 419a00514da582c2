/**
 * The object store SPI: a revisioned key-value store with one monotonic revision counter, atomic
 * single-key writes with preconditions, prefix listing and watch from a revision. The API server's
 * registries sit on it; {@link io.podvisor.store.MemoryStore} serves tests and
 * {@link io.podvisor.store.sqlite.SqliteStore} is the durable implementation.
 */
package io.podvisor.store;
