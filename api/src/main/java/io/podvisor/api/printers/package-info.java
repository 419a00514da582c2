/**
 * Pure functions that render the human-facing columns kubectl shows for pods and events:
 * READY, STATUS, RESTARTS and AGE of {@code get pods}, the Age column of {@code describe}
 * events, and Go-style short human durations. Nothing here reads the clock; callers pass
 * {@code now}.
 */
package io.podvisor.api.printers;
