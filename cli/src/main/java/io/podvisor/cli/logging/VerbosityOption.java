package io.podvisor.cli.logging;

import picocli.CommandLine.Option;

/** The {@code -v}/{@code --v} option of the node commands, klog's log verbosity. */
public final class VerbosityOption {

    @Option(names = {"-v", "--v"}, paramLabel = "N", defaultValue = "0",
            description = "Log verbosity, as klog's -v: 0 warnings, errors and important information (default), "
                    + "2 the libraries' information, 3 a line per API request, 4 debug lines, 6 everything. The log is DATA-DIR/logs/podvisor.log.")
    int level;

    /** The verbosity asked for; never negative once {@link #problem()} is null. */
    public int level() {
        return level;
    }

    /** Why the value cannot be used, or null. */
    public String problem() {
        return level < 0 ? "-v must be 0 or more, not " + level : null;
    }
}
