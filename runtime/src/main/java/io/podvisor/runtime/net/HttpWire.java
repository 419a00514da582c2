package io.podvisor.runtime.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Reading an HTTP/1.1 answer: lines, headers and a body (length-delimited, chunked or to the end), bounded. */
final class HttpWire {

    /** The answer is not HTTP; the message is Go's wording of why. */
    static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }

    private HttpWire() {}

    /** One line without its CRLF, or null at the end of the stream before any byte. */
    static String readLine(InputStream in, int max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= max) {
                throw new Malformed("server response headers exceeded " + max + " bytes; aborted");
            }
            line.write(c);
        }
        if (line.size() == 0) {
            return null;
        }
        throw new java.io.EOFException("unexpected EOF");
    }

    /** Header fields up to the empty line, names lower-cased; a repeated field keeps its first value. */
    static Map<String, String> readHeaders(InputStream in, int max) throws IOException {
        Map<String, String> h = new HashMap<>();
        int total = 0;
        while (true) {
            String line = readLine(in, max);
            if (line == null) {
                throw new java.io.EOFException("unexpected EOF");
            }
            if (line.isEmpty()) {
                return h;
            }
            total += line.length();
            if (total > max) {
                throw new Malformed("server response headers exceeded " + max + " bytes; aborted");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new Malformed("malformed MIME header line: " + line);
            }
            h.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
    }

    /** At most {@code max} bytes of the body, as UTF-8. */
    static String readBody(InputStream in, Map<String, String> headers, int max) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String te = headers.getOrDefault("transfer-encoding", "");
        if (te.toLowerCase(Locale.ROOT).contains("chunked")) {
            readChunked(in, body, max);
        } else if (headers.containsKey("content-length")) {
            long len;
            try {
                len = Long.parseLong(headers.get("content-length"));
            } catch (NumberFormatException e) {
                throw new Malformed("bad Content-Length \"" + headers.get("content-length") + "\"");
            }
            copy(in, body, Math.min(len, max), true);
        } else {
            copy(in, body, max, false);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static void readChunked(InputStream in, ByteArrayOutputStream body, int max) throws IOException {
        while (body.size() < max) {
            String line = readLine(in, 1024);
            if (line == null) {
                throw new java.io.EOFException("unexpected EOF");
            }
            int semi = line.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi >= 0 ? line.substring(0, semi) : line).strip(), 16);
            } catch (NumberFormatException e) {
                throw new Malformed("invalid byte in chunk length");
            }
            if (size == 0) {
                return;
            }
            copy(in, body, Math.min(size, max - body.size()), true);
            if (body.size() >= max) {
                return;
            }
            readLine(in, 1024);
        }
    }

    /** Copies {@code n} bytes (or, when not {@code exact}, up to {@code n} until the end). */
    private static void copy(InputStream in, ByteArrayOutputStream out, long n, boolean exact) throws IOException {
        byte[] buf = new byte[4096];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                if (exact) {
                    throw new java.io.EOFException("unexpected EOF");
                }
                return;
            }
            out.write(buf, 0, r);
            left -= r;
        }
    }
}
