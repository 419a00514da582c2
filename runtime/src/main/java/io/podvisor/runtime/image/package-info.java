/** Images as runtimes need them: a root filesystem and the config a container starts from. */
package io.podvisor.runtime.image;
