/** Pulling from OCI / Docker registries: the distribution API, token auth, platform selection, streaming verification. */
package io.podvisor.runtime.image.registry;
