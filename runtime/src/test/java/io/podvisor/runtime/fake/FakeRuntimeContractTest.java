package io.podvisor.runtime.fake;

import static io.podvisor.runtime.fake.ContainerScript.script;

import io.podvisor.core.FakeClock;
import io.podvisor.runtime.ContainerRuntime;
import io.podvisor.runtime.ContainerRuntimeContract;
import io.podvisor.runtime.ExecResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The runtime contract on {@link FakeRuntime}: behaviours become {@link ContainerScript}s
 * registered under the behaviour's unique container name, and waiting advances a {@link FakeClock}
 * in 100 ms steps.
 */
class FakeRuntimeContractTest extends ContainerRuntimeContract {

    private static final String PRINT = "print-and-exit";
    private static final String NEVER = "never-ends";
    private static final Duration STEP = Duration.ofMillis(100);

    private FakeClock clock;
    private FakeRuntime fake;

    @Override
    protected ContainerRuntime newRuntime() {
        clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
        fake = new FakeRuntime(clock);
        return fake;
    }

    /** The fake's host goes down for a minute of virtual time and its runtime starts again. */
    @Override
    protected ContainerRuntime restartRuntime(ContainerRuntime old) {
        fake.powerOff();
        clock.advance(Duration.ofMinutes(1));
        fake.recover();
        return fake;
    }

    @Override
    protected Instant now() {
        return clock.now();
    }

    @Override
    protected void awaitUntil(Duration upTo, Callable<Boolean> condition) {
        Instant deadline = clock.now().plus(upTo);
        try {
            while (!condition.call()) {
                if (!clock.now().isBefore(deadline)) {
                    throw new AssertionError("condition not met within " + upTo + " of virtual time");
                }
                clock.advance(STEP);
            }
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private Behaviour scripted(String prefix, ContainerScript s) {
        String name = uniqueName(prefix);
        fake.script(name, s.exec(List.of(PRINT), Duration.ZERO,
                (t, cmd) -> ExecResult.exited(Integer.parseInt(cmd.get(2)), cmd.get(1) + "\n"))
                .execNeverEnds(List.of(NEVER)));
        return new Behaviour(name, List.of("scripted"));
    }

    @Override
    protected Behaviour exitsWith(int code) {
        return scripted("exits", script().exitAfter(Duration.ofMillis(10), code));
    }

    @Override
    protected Behaviour printsAndExits(String out, String err, int code) {
        return scripted("prints", script().stdout(Duration.ZERO, out).stderr(Duration.ZERO, err)
                .exitAfter(Duration.ofMillis(10), code));
    }

    @Override
    protected Behaviour runsUntilStopped() {
        return scripted("runs", script().stdout(Duration.ZERO, "ready"));
    }

    @Override
    protected Behaviour ignoresTerm() {
        return scripted("ignores", script().stdout(Duration.ZERO, "ready").ignoreSigterm());
    }

    @Override
    protected Behaviour exitsOnTerm(int code) {
        return scripted("handles", script().stdout(Duration.ZERO, "ready").exitOnSigterm(Duration.ofMillis(200), code));
    }

    @Override
    protected Behaviour listensOn(int port) {
        return scripted("listens", script().stdout(Duration.ZERO, "ready").tcp(port, t -> true));
    }

    @Override
    protected Behaviour missingExecutable() {
        String name = uniqueName("missing");
        String exe = "/no/such/executable";
        fake.script(name, script().failToStart("exec: \"" + exe + "\": stat " + exe + ": no such file or directory"));
        return new Behaviour(name, List.of(exe));
    }

    @Override
    protected List<String> execPrints(String out, int code) {
        return List.of(PRINT, out, Integer.toString(code));
    }

    @Override
    protected List<String> execNeverEnds() {
        return List.of(NEVER);
    }
}
