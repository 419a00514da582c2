package io.podvisor.apiserver.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The bearer token clients present, kept in {@code <dataDir>/token} (mode 0600, 32 random bytes
 * as hex) and reused across restarts.
 */
public final class Credentials {

    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;

    private Credentials(String token) {
        this.token = token;
    }

    /** Reads the token file, or writes a new token when it is missing or malformed. */
    public static Credentials loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve("token");
        if (Files.exists(file)) {
            String t = Files.readString(file).trim();
            if (TOKEN.matcher(t).matches()) {
                return new Credentials(t);
            }
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String t = HexFormat.of().formatHex(bytes);
        SecretFiles.writePrivate(file, t + "\n");
        return new Credentials(t);
    }

    public String token() {
        return token;
    }

    /** Whether {@code presented} is the token, compared in constant time. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
