package io.podvisor.bench;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * {@code bench/run jmh [JMH options]}: the JMH microbenchmarks of {@code io.podvisor.bench.jmh}
 * with JMH's own command line ({@code -h} lists it). Without options: a short run, one fork, two
 * one-second warm-up and three one-second measurement iterations per benchmark. JMH prints its
 * own table (these have no same-run baseline; compare runs of the same machine).
 */
final class Jmh {

    static final String[] SHORT = {"-f", "1", "-wi", "2", "-i", "3", "-w", "1s", "-r", "1s", "io\\.podvisor\\.bench\\.jmh\\..*"};

    private Jmh() {}

    static int run(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args.length == 0 ? SHORT : args);
        if (options.shouldHelp()) {
            options.showHelp();
            return 0;
        }
        Runner runner = new Runner(options);
        if (options.shouldList()) {
            runner.list();
            return 0;
        }
        Collection<RunResult> results = runner.run();
        return results.isEmpty() ? 1 : 0;
    }
}
