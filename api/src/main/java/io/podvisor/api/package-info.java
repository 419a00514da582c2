/**
 * The Kubernetes API as podvisor uses it: fabric8 model types, timestamps, printers, events,
 * defaulting and validation. No HTTP and no storage here.
 */
package io.podvisor.api;
