/** A scripted, virtual-time container runtime for lifecycle tests and contract tests. */
package io.podvisor.runtime.fake;
