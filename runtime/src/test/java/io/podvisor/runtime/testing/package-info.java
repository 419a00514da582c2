/** Fixtures for tests of real runtimes, shared with other modules through the runtime test-jar. */
package io.podvisor.runtime.testing;
