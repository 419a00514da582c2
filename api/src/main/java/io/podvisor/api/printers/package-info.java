/**
 * Pure functions that render what kubectl shows: the server-side {@code meta.k8s.io/v1} Tables of
 * every served kind ({@link io.podvisor.api.printers.Tables}, the upstream column sets), the
 * READY, STATUS, RESTARTS and AGE columns of {@code get pods}, the Age column of
 * {@code describe} events, and Go-style short human durations. Nothing here reads the clock;
 * callers pass {@code now}.
 */
package io.podvisor.api.printers;
