/**
 * Shared informers: one list-then-watch per type and selection, an indexed read-only cache, and
 * event handlers that feed work queues (client-go's and fabric8's model).
 */
package io.podvisor.client.informers;
