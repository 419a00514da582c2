package io.podvisor.runtime;

/** The CRI container states. */
public enum ContainerState {
    /** Created, never started. */
    CREATED,
    /** Its first process runs. */
    RUNNING,
    /** It ran (or failed to start) and is over; exit code and reason are known. */
    EXITED,
    /** The runtime lost track of it. */
    UNKNOWN
}
