package io.podvisor.kubelet;

/**
 * The outcome of one executed step of a sync (kill, sandbox, start), kept instead of throwing on
 * the first failure.
 *
 * @param action {@code Kill}, {@code CreateSandbox}, {@code Start}
 * @param target the container (or pod) acted on
 * @param error  null on success, else the reason ({@code CrashLoopBackOff}, {@code RunContainerError}, …)
 * @param message details of the error, or null
 */
public record StepResult(String action, String target, String error, String message) {

    static StepResult ok(String action, String target) {
        return new StepResult(action, target, null, null);
    }

    public boolean succeeded() {
        return error == null;
    }
}
