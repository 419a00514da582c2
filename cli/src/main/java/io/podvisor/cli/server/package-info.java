/** The composition root of a running node: store, registries, kubelet, controllers and the HTTPS API. */
package io.podvisor.cli.server;
