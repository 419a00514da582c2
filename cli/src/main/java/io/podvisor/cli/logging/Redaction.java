package io.podvisor.cli.logging;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Pattern;

/**
 * Masks secrets in log text: every value registered with {@link #add} (the node's bearer token) and
 * whatever follows {@code Bearer} in an {@code Authorization} value, as {@code [redacted]}.
 */
public final class Redaction {

    static final String MASK = "[redacted]";
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"',;]+");
    private static final Set<String> SECRETS = new CopyOnWriteArraySet<>();

    private Redaction() {}

    /** Masks {@code secret} in every later log line (ignored when blank). */
    public static void add(String secret) {
        if (secret != null && !secret.isBlank()) {
            SECRETS.add(secret);
        }
    }

    static String apply(String text) {
        String out = text;
        for (String secret : SECRETS) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        var bearer = BEARER.matcher(out);
        return bearer.find() ? bearer.replaceAll("$1" + java.util.regex.Matcher.quoteReplacement(MASK)) : out;
    }
}
