package io.podvisor.bench;

import java.nio.file.Path;

/** The benchmarks' {@code --name value} options, and where the project is ({@code bench/run} tells). */
final class Args {

    private Args() {}

    /** The value after {@code name} in {@code args}, or {@code otherwise}. */
    static String get(String[] args, String name, String otherwise) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return otherwise;
    }

    static int integer(String[] args, String name, int otherwise) {
        return Integer.parseInt(get(args, name, Integer.toString(otherwise)));
    }

    /** The project's root directory, where the {@code podvisor} launcher is. */
    static Path root() {
        return Path.of(System.getProperty("podvisor.root", ".")).toAbsolutePath().normalize();
    }
}
