/** The API server's defaulting, validation (spec §13 messages and field paths) and strict decoding. */
package io.podvisor.api.validation;
