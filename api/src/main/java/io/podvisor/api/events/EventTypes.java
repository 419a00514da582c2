package io.podvisor.api.events;

/** The two values of {@code Event.type}. Any other value is rejected by {@link EventRecorder}. */
public final class EventTypes {

    /** Information: the normal course of things. */
    public static final String NORMAL = "Normal";

    /** Something the user may need to act on. */
    public static final String WARNING = "Warning";

    private EventTypes() {}

    /** Whether {@code type} is {@link #NORMAL} or {@link #WARNING} (case-sensitive). */
    public static boolean isValid(String type) {
        return NORMAL.equals(type) || WARNING.equals(type);
    }
}
