/**
 * Pure functions turning API container statuses and the pod spec into the pod-level status the
 * kubelet publishes: the phase ({@link io.podvisor.kubelet.status.PodPhases}, spec section 1) and
 * the kubelet-owned conditions ({@link io.podvisor.kubelet.status.PodConditions}, section 3).
 *
 * <p>Everything here is deterministic: no clocks are read (the caller passes {@code now}), no
 * state is kept, and inputs are never modified. Container statuses are matched to spec
 * containers by name; a spec container without a status entry has an "unknown" status.
 */
package io.podvisor.kubelet.status;
