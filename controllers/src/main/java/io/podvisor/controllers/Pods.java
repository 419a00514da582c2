package io.podvisor.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

/** Facts about pods the controllers share (phase, readiness, deletion). */
public final class Pods {

    public static final String SUCCEEDED = "Succeeded";
    public static final String FAILED = "Failed";
    public static final String PENDING = "Pending";
    public static final String RUNNING = "Running";

    private Pods() {}

    /** The phase, or {@code Pending} when unset. */
    public static String phase(Pod pod) {
        String p = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return p == null || p.isEmpty() ? PENDING : p;
    }

    /** Succeeded or Failed. */
    public static boolean isTerminal(Pod pod) {
        String p = phase(pod);
        return SUCCEEDED.equals(p) || FAILED.equals(p);
    }

    /** Whether the pod has a deletionTimestamp. */
    public static boolean isDeleting(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** Whether the pod's {@code Ready} condition is {@code True}. */
    public static boolean isReady(Pod pod) {
        return "True".equals(conditionStatus(pod, "Ready"));
    }

    /** The status of the condition of {@code type}, or null. */
    public static String conditionStatus(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if (type.equals(c.getType())) {
                return c.getStatus();
            }
        }
        return null;
    }

    /** Whether the pod lists {@code finalizer}. */
    public static boolean hasFinalizer(Pod pod, String finalizer) {
        return pod.getMetadata().getFinalizers() != null && pod.getMetadata().getFinalizers().contains(finalizer);
    }
}
