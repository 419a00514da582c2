package io.podvisor.store.sqlite;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child process for the crash test: opens the store at {@code args[0]}, creates keys in a loop
 * and prints each key on stdout once {@code create} returned. It exits when its stdin closes (the
 * parent is gone) or after a bounded number of writes.
 */
public final class CrashingWriter {

    static final String PREFIX = "/crash/";

    private CrashingWriter() {}

    public static void main(String[] args) throws Exception {
        Thread.ofPlatform().daemon().start(CrashingWriter::exitWhenParentGoes);
        try (SqliteStore store = SqliteStore.open(Path.of(args[0]))) {
            for (int i = 0; i < 1_000_000; i++) {
                String key = PREFIX + String.format("%07d", i);
                store.create(key, key.getBytes(StandardCharsets.UTF_8));
                System.out.println(key);
                System.out.flush();
            }
        }
    }

    private static void exitWhenParentGoes() {
        try {
            while (System.in.read() >= 0) {
                // the parent never writes; EOF means it went away
            }
        } catch (java.io.IOException ignored) {
            // stdin broke: the parent is gone either way
        }
        Runtime.getRuntime().halt(3);
    }
}
