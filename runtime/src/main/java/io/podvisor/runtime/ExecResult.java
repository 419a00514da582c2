package io.podvisor.runtime;

/** The outcome of an exec: exit code and combined stdout+stderr, or a time-out. */
public record ExecResult(int exitCode, String output, boolean timedOut) {

    public static ExecResult exited(int code, String output) {
        return new ExecResult(code, output, false);
    }

    public static ExecResult timeout() {
        return new ExecResult(-1, "", true);
    }
}
