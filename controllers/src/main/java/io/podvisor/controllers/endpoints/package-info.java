/**
 * The Endpoints and EndpointSlice controller: for each Service with a selector, the legacy
 * {@code Endpoints} object of the same name and one managed {@code EndpointSlice} per distinct
 * port set, built by pure functions ({@link io.podvisor.controllers.endpoints.EndpointsBuilder},
 * {@link io.podvisor.controllers.endpoints.SliceContents}) and written only when they change.
 */
package io.podvisor.controllers.endpoints;
