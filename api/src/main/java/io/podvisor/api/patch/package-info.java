/** Patches as the API server applies them: JSON patch, merge patch, strategic merge patch, server-side apply. */
package io.podvisor.api.patch;
