/**
 * {@code podvisor run FILE…}: starts an embedded node, applies the files' objects through its
 * registries, streams a timeline of pod states and events until a condition holds, prints a
 * summary per pod and Job, then removes everything it created.
 */
package io.podvisor.cli.run;
