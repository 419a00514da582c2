/**
 * The API server's credentials: a CA and a serving certificate minted at first start and kept as
 * PEM in the data directory, the bearer token, and the kubeconfig that ties them together.
 */
package io.podvisor.apiserver.tls;
