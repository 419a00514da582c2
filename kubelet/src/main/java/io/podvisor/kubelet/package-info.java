/**
 * The kubelet: pod workers, the pure action planner, container starts and ordered termination,
 * the status generator and its single-writer publisher, and the relister. Time comes only from the
 * injected clock; containers only through the runtime SPI.
 */
package io.podvisor.kubelet;
