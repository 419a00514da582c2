/** {@code podvisor image}: import, list, remove and pull images in a data directory. */
package io.podvisor.cli.image;
