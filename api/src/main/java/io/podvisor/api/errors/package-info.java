/** The API's classified errors and their {@code Status} form. */
package io.podvisor.api.errors;
