/**
 * The HTTPS front the real {@code kubectl} talks to: Jetty core handlers for authentication,
 * version and health, discovery, OpenAPI, resource routes (get/list/watch/create/update/patch/
 * delete, Tables), pod logs and exec over WebSocket. Objects come from the
 * {@link io.podvisor.apiserver.registry.Registry}; logs and exec from
 * {@link io.podvisor.api.client.ContainerStreams}.
 */
package io.podvisor.apiserver.http;
