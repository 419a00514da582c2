/**
 * The durable {@link io.podvisor.store.Store}: {@link io.podvisor.store.sqlite.SqliteStore} keeps
 * every key in one SQLite file (WAL mode, {@code synchronous=NORMAL}: acknowledged writes survive a
 * killed process) with a {@code kv} table and a revision counter written in the same transaction
 * as each change. Watch replay comes from an in-memory window ({@link io.podvisor.store.WatchHub}).
 */
package io.podvisor.store.sqlite;
