/** The API server: registries over the store, and the HTTPS front kubectl talks to. */
package io.podvisor.apiserver;
