/**
 * Registries: object semantics over the {@link io.podvisor.store.Store} — resourceVersions,
 * defaulting and validation, preconditions, patches, graceful deletion, selectors, paging and
 * watch — shared by the HTTP front and the in-process {@link io.podvisor.api.client.ObjectClient}.
 */
package io.podvisor.apiserver.registry;
