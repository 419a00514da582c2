package io.podvisor.runtime.fake;

import io.podvisor.runtime.CriLog;
import io.podvisor.runtime.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How one fake container instance behaves, as a test scripts it. All times are measured from the
 * instance's start. By default an instance runs until stopped, dies at once from SIGTERM (exit 143),
 * answers every exec with exit 0, and listens on no port.
 */
public final class ContainerScript {

    /** What the first process does on SIGTERM. */
    public sealed interface OnSigterm {}

    /** Dies from the signal's default action: exit 143. */
    public record DieOnSigterm() implements OnSigterm {}

    /** Ignores the signal, as a PID 1 without a handler does; only SIGKILL ends it (137). */
    public record IgnoreSigterm() implements OnSigterm {}

    /** Handles it: exits with {@code code} after {@code delay}. */
    public record ExitAfterSigterm(Duration delay, int code) implements OnSigterm {}

    /** A line the first process writes {@code at} after its start. */
    record OutputLine(Duration at, CriLog.Stream stream, String text) {}

    /** A rule for execs; a null {@code delay} is an exec that never ends by itself. */
    record ExecRule(Predicate<List<String>> matches, Duration delay,
                    BiFunction<Duration, List<String>, ExecResult> result) {}

    Duration exitAfter;
    int exitCode;
    Duration oomAfter;
    String startFailure;
    OnSigterm onSigterm = new DieOnSigterm();
    final List<ExecRule> execRules = new ArrayList<>();
    final List<OutputLine> output = new ArrayList<>();
    final Map<Integer, Function<Duration, Boolean>> tcpOpen = new HashMap<>();
    final Map<Integer, BiFunction<String, Duration, Integer>> http = new HashMap<>();
    final Map<Integer, String> httpBodies = new HashMap<>();
    final Map<Integer, Function<Duration, String>> grpc = new HashMap<>();
    long cpuMillicores;
    Function<Duration, Long> memoryBytes = t -> 0L;
    long pageCacheBytes;

    boolean catStdin;

    /**
     * Reads its stdin as {@code cat} does: what an attached client types is written back to stdout
     * (its log and the attached clients), and it exits 0 once its stdin ends — at once if the
     * container has no open stdin ({@code stdin: false}), else within a second of the clock after it
     * was closed ({@code stdinOnce} after the first client's input ended).
     */
    public ContainerScript catStdin() {
        this.catStdin = true;
        return this;
    }

    public static ContainerScript script() {
        return new ContainerScript();
    }

    /** A container that runs until stopped (the default). */
    public static ContainerScript runForever() {
        return new ContainerScript();
    }

    /** Exits by itself with {@code code} after {@code after}. */
    public ContainerScript exitAfter(Duration after, int code) {
        this.exitAfter = after;
        this.exitCode = code;
        return this;
    }

    /** Is killed by the kernel OOM killer after {@code after} (exit 137, reason OOMKilled). */
    public ContainerScript oomKilledAfter(Duration after) {
        this.oomAfter = after;
        return this;
    }

    /** Fails to start: the runtime's start call fails with {@code message}. */
    public ContainerScript failToStart(String message) {
        this.startFailure = message;
        return this;
    }

    /**
     * Writes {@code line} to stdout {@code at} after start (to the container's log file, in the CRI
     * format, stamped with the clock's time). Lines due after the instance exits are never written.
     */
    public ContainerScript stdout(Duration at, String line) {
        output.add(new OutputLine(at, CriLog.Stream.STDOUT, line));
        return this;
    }

    /** As {@link #stdout}, on stderr. */
    public ContainerScript stderr(Duration at, String line) {
        output.add(new OutputLine(at, CriLog.Stream.STDERR, line));
        return this;
    }

    public ContainerScript ignoreSigterm() {
        this.onSigterm = new IgnoreSigterm();
        return this;
    }

    public ContainerScript exitOnSigterm(Duration delay, int code) {
        this.onSigterm = new ExitAfterSigterm(delay, code);
        return this;
    }

    /**
     * Execs whose command starts with {@code prefix} answer {@code result(sinceStart, command)}
     * after {@code delay} (a delay beyond the exec's timeout makes it time out).
     */
    public ContainerScript exec(List<String> prefix, Duration delay,
                                BiFunction<Duration, List<String>, ExecResult> result) {
        execRules.add(new ExecRule(cmd -> cmd.size() >= prefix.size() && cmd.subList(0, prefix.size()).equals(prefix),
                delay, result));
        return this;
    }

    /**
     * Execs whose command starts with {@code prefix} never end by themselves (a {@code sleep
     * infinity}): they time out, or, without a time limit, end with the container (exit 137).
     */
    public ContainerScript execNeverEnds(List<String> prefix) {
        return exec(prefix, null, (t, cmd) -> ExecResult.exited(0, ""));
    }

    /** Execs whose command starts with {@code prefix} answer at once with {@code result(sinceStart)}. */
    public ContainerScript exec(List<String> prefix, Function<Duration, ExecResult> result) {
        return exec(prefix, Duration.ZERO, (t, cmd) -> result.apply(t));
    }

    /** Accepts TCP connections on {@code port} whenever {@code open(sinceStart)} is true. */
    public ContainerScript tcp(int port, Function<Duration, Boolean> open) {
        tcpOpen.put(port, open);
        return this;
    }

    /** Listens on {@code port} from start and answers HTTP with {@code status(path, sinceStart)}. */
    public ContainerScript http(int port, BiFunction<String, Duration, Integer> status) {
        tcpOpen.putIfAbsent(port, t -> true);
        http.put(port, status);
        return this;
    }

    /** The body of every HTTP answer on {@code port} (none by default). */
    public ContainerScript httpBody(int port, String body) {
        httpBodies.put(port, body);
        return this;
    }

    /** Listens on {@code port} and answers gRPC health checks with {@code status(sinceStart)} (e.g. SERVING). */
    public ContainerScript grpc(int port, Function<Duration, String> status) {
        tcpOpen.putIfAbsent(port, t -> true);
        grpc.put(port, status);
        return this;
    }

    /** Uses {@code millicores} of CPU all the time it runs (none by default): its cumulative usage grows at that rate. */
    public ContainerScript cpu(long millicores) {
        this.cpuMillicores = millicores;
        return this;
    }

    /** Has {@code bytes(sinceStart)} as its working set (none by default). */
    public ContainerScript memory(Function<Duration, Long> bytes) {
        this.memoryBytes = bytes;
        return this;
    }

    /** Has a constant working set of {@code bytes}. */
    public ContainerScript memory(long bytes) {
        return memory(t -> bytes);
    }

    /** Has {@code bytes} of inactive page cache on top of its working set: counted in usage, not in the working set. */
    public ContainerScript pageCache(long bytes) {
        this.pageCacheBytes = bytes;
        return this;
    }
}
