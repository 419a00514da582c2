package io.podvisor.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code bench/run NAME [ARGS…]}: runs one benchmark, which prints its figures beside its baseline. */
public final class Bench {

    /** A benchmark program. */
    public interface Program {
        /** Runs with the given arguments; returns the exit code. */
        int run(String[] args) throws Exception;
    }

    private static final Map<String, Program> PROGRAMS = new LinkedHashMap<>();

    static {
        PROGRAMS.put("cold-start", ColdStart::run);
        PROGRAMS.put("pod-start", PodStartLatency::run);
        PROGRAMS.put("scale", Scale::run);
        PROGRAMS.put("engine", EngineSpeed::run);
        PROGRAMS.put("api", ApiThroughput::run);
        PROGRAMS.put("delete", DeleteCost::run);
        PROGRAMS.put("jmh", Jmh::run);
        PROGRAMS.put("fuzz", ApiFuzz::run);
    }

    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !PROGRAMS.containsKey(args[0])) {
            System.err.println("usage: bench/run NAME [ARGS…]; NAME is one of " + String.join(", ", PROGRAMS.keySet()));
            System.exit(2);
        }
        System.exit(PROGRAMS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length)));
    }
}
