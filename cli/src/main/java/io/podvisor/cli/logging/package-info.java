/**
 * The node's log: logback configured in code (no configuration file to parse at start), klog-style
 * lines and verbosity, a size-rotated file in the data directory, and known secrets masked in every
 * line.
 */
package io.podvisor.cli.logging;
