/** The resource types podvisor serves: names, kinds, scopes, short names and categories. */
package io.podvisor.api.resources;
