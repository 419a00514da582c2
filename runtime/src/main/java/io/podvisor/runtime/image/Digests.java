package io.podvisor.runtime.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 digests as OCI writes them ({@code sha256:<64 hex>}), and a stream that computes one. */
public final class Digests {

    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    private Digests() {}

    /** True for a well-formed {@code sha256:<hex>}. */
    public static boolean valid(String digest) {
        return digest != null && SHA256.matcher(digest).matches();
    }

    /** The hex part of a valid digest. */
    static String hex(String digest) throws ImageContentException {
        if (!valid(digest)) {
            throw new ImageContentException("unsupported or malformed digest \"" + digest + "\"");
        }
        return digest.substring(7);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sha256:<hex>} of {@code data}. */
    public static String of(byte[] data) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(data));
    }

    /** Passes bytes through while hashing and counting them. */
    public static final class Counting extends FilterInputStream {
        private final MessageDigest md = sha256();
        private long count;

        public Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                md.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                md.update(buf, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return Math.max(0, read(new byte[(int) Math.max(1, Math.min(n, 8192))]));
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        /** Reads what is left, so the digest covers the whole stream. */
        public void drain() throws IOException {
            byte[] buf = new byte[65536];
            while (read(buf, 0, buf.length) >= 0) {
                // hashing as it goes
            }
        }

        /** Bytes read so far. */
        public long count() {
            return count;
        }

        /** The digest of everything read so far (reading may go on). */
        public String digest() {
            try {
                return "sha256:" + HexFormat.of().formatHex(((MessageDigest) md.clone()).digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
