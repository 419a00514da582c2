/**
 * The garbage collector: deletes (background propagation) dependents all of whose owners are gone,
 * and drops dangling owner references from dependents that still have a live owner.
 */
package io.podvisor.controllers.gc;
