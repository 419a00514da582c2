/**
 * The container runtime SPI: CRI-shaped sandbox, container, exec and network primitives with no
 * Kubernetes types. Implementations: {@code fake} (scripted, virtual time) and, later, {@code process}
 * and {@code runc}.
 */
package io.podvisor.runtime;
