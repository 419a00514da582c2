package io.podvisor.controllers;

import java.util.random.RandomGenerator;

/**
 * Generated names as the API server's {@code generateName} makes them: the base cut to 58
 * characters, then 5 characters from the alphabet Kubernetes uses for random strings (lowercase
 * consonants and digits, no vowels, so that no words appear).
 */
public final class NameSuffix {

    /** The characters of a random suffix. */
    public static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    /** Length of a random suffix. */
    public static final int LENGTH = 5;
    private static final int MAX_NAME = 63;

    private final RandomGenerator random;

    public NameSuffix(RandomGenerator random) {
        this.random = random;
    }

    /** {@code base} (cut to leave room for the suffix) followed by 5 random characters. */
    public String generate(String base) {
        return generateNameBase(base) + suffix();
    }

    /** The {@code generateName} for {@code base}: cut to 58 characters. */
    public static String generateNameBase(String base) {
        int max = MAX_NAME - LENGTH;
        return base.length() > max ? base.substring(0, max) : base;
    }

    /** 5 random characters of {@link #ALPHABET}. */
    public String suffix() {
        StringBuilder sb = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
