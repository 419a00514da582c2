package io.podvisor.kubelet.status;

import java.util.ArrayList;
import java.util.List;

/** What a condition says, before timestamps: status plus optional reason and message. */
record ConditionValue(String status, String reason, String message) {

    static final String TRUE = "True";
    static final String FALSE = "False";

    static ConditionValue isTrue() {
        return new ConditionValue(TRUE, null, null);
    }

    static ConditionValue isTrue(String reason) {
        return new ConditionValue(TRUE, reason, null);
    }

    static ConditionValue isFalse(String reason, String message) {
        return new ConditionValue(FALSE, reason, message);
    }

    boolean holds() {
        return TRUE.equals(status);
    }

    /** Go's {@code %v} of a string slice: {@code [a b c]}. */
    static String goSlice(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }

    /**
     * {@code "<prefix> unknown status: [..]"} and/or {@code "<prefix> <adjective> status: [..]"},
     * joined by {@code ", "}; null when both lists are empty.
     */
    static String containerListMessage(List<String> unknown, String adjective, List<String> other) {
        List<String> parts = new ArrayList<>();
        if (!unknown.isEmpty()) {
            parts.add("containers with unknown status: " + goSlice(unknown));
        }
        if (!other.isEmpty()) {
            parts.add("containers with " + adjective + " status: " + goSlice(other));
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }
}
