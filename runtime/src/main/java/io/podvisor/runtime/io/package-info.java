/** Container output: pumping a process's stdout and stderr into CRI log files. */
package io.podvisor.runtime.io;
