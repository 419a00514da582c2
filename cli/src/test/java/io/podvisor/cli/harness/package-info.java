/**
 * A whole podvisor node in virtual time — store, registries, kubelet, controllers and the fake
 * runtime on one fake clock and one deterministic executor — and the scenarios that exercise the
 * parts together, asserting what a user of kubectl would see.
 */
package io.podvisor.cli.harness;
