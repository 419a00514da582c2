/** The command line and the composition root that wires modules together. */
package io.podvisor.cli;
