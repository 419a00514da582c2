/**
 * Label and field selectors as the API parses and applies them for lists and watches:
 * {@link io.podvisor.apiserver.select.LabelSelector}, {@link io.podvisor.apiserver.select.FieldSelector},
 * the per-kind selectable fields and their combination, {@link io.podvisor.apiserver.select.Selection}.
 */
package io.podvisor.apiserver.select;
