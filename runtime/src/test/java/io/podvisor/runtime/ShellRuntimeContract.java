package io.podvisor.runtime;

import io.podvisor.core.SystemClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;

/**
 * The runtime contract for runtimes that run real commands: behaviours become {@code sh -c}
 * scripts (POSIX sh; busybox's applets suffice) and waiting polls in real time with deadlines.
 * Subclasses build their runtime on {@link #clock()}.
 *
 * <p>{@link #runsUntilStopped()} relies on SIGTERM's default action killing the container's first
 * process; a runtime whose first process is a PID namespace's init (which the kernel shields from
 * default actions) overrides it, e.g. with {@code trap 'exit 143' TERM}.
 */
public abstract class ShellRuntimeContract extends ContainerRuntimeContract {

    private final SystemClock clock = new SystemClock();

    /** The clock the runtime under test must use. */
    protected SystemClock clock() {
        return clock;
    }

    /** The address servers bind: empty for every address of the container's network. */
    protected String listenAddress() {
        return "";
    }

    /** Shuts the runtime down, then stops the clock it used. */
    @Override
    protected void closeRuntime(ContainerRuntime rt) {
        try {
            super.closeRuntime(rt);
        } finally {
            clock.close();
        }
    }

    @Override
    protected Instant now() {
        return clock.now();
    }

    @Override
    protected void awaitUntil(Duration upTo, Callable<Boolean> condition) {
        Awaitility.await().atMost(upTo).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(25)).until(condition);
    }

    /** {@code sh -c script sh args…}: the script sees {@code args} as {@code $1…}. */
    protected static List<String> sh(String script, Object... args) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        return cmd;
    }

    @Override
    protected Behaviour exitsWith(int code) {
        return new Behaviour(uniqueName("exits"), sh("exit $1", code));
    }

    @Override
    protected Behaviour printsAndExits(String out, String err, int code) {
        return new Behaviour(uniqueName("prints"), sh("echo \"$1\"; echo \"$2\" >&2; exit $3", out, err, code));
    }

    @Override
    protected Behaviour runsUntilStopped() {
        return new Behaviour(uniqueName("runs"), sh("echo ready; exec sleep 100000"));
    }

    @Override
    protected Behaviour ignoresTerm() {
        return new Behaviour(uniqueName("ignores"), sh("trap '' TERM; echo ready; exec sleep 100000"));
    }

    @Override
    protected Behaviour exitsOnTerm(int code) {
        return new Behaviour(uniqueName("handles"), sh("trap \"exit $1\" TERM; echo ready; sleep 100000 & wait", code));
    }

    @Override
    protected Behaviour listensOn(int port) {
        String addr = listenAddress().isEmpty() ? Integer.toString(port) : listenAddress() + ":" + port;
        return new Behaviour(uniqueName("listens"), sh("echo ready; exec busybox httpd -f -p \"$1\" -h .", addr));
    }

    @Override
    protected Behaviour missingExecutable() {
        String name = uniqueName("missing");
        return new Behaviour(name, List.of("/no/such/executable-" + name));
    }

    @Override
    protected List<String> execPrints(String out, int code) {
        return sh("echo \"$1\"; exit $2", out, code);
    }

    @Override
    protected List<String> execNeverEnds() {
        return sh("exec sleep 100000");
    }
}
