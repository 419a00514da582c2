package io.podvisor.apiserver.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal protobuf wire-format reader over a byte range: varints, length-delimited values and
 * skipping of fixed32/fixed64 values. Malformed input raises {@link IllegalArgumentException}.
 */
final class ProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private int pos;
    private final int end;
    private int tag;

    ProtoReader(byte[] buf, int offset, int end) {
        if (offset < 0 || end > buf.length || offset > end) {
            throw new IllegalArgumentException("invalid range");
        }
        this.buf = buf;
        this.pos = offset;
        this.end = end;
    }

    /** Reads the next field's tag; false at the end of the range. */
    boolean next() {
        if (pos >= end) {
            return false;
        }
        long t = varint();
        if (t >>> 3 == 0 || t >>> 3 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("illegal field number");
        }
        tag = (int) t;
        return true;
    }

    /** Whether bytes remain in the range (for packed repeated values). */
    boolean hasMore() {
        return pos < end;
    }

    int field() {
        return tag >>> 3;
    }

    int wireType() {
        return tag & 7;
    }

    /** A varint value (the current field must be of wire type 0). */
    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new IllegalArgumentException("unexpected EOF");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("integer overflow");
    }

    /** The current length-delimited value as a sub-reader. */
    ProtoReader message() {
        int len = length();
        ProtoReader sub = new ProtoReader(buf, pos, pos + len);
        pos += len;
        return sub;
    }

    byte[] bytes() {
        int len = length();
        byte[] out = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return out;
    }

    String string() {
        int len = length();
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** Skips the current field's value whatever its wire type. */
    void skip() {
        switch (wireType()) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(length());
            case FIXED32 -> advance(4);
            default -> throw new IllegalArgumentException("unsupported wire type " + wireType());
        }
    }

    /** Throws unless the current field has the given wire type. */
    void expect(int wireType) {
        if (wireType() != wireType) {
            throw new IllegalArgumentException("wrong wire type " + wireType() + " for field " + field());
        }
    }

    private int length() {
        expect(LENGTH_DELIMITED);
        long len = varint();
        if (len < 0 || len > end - pos) {
            throw new IllegalArgumentException("unexpected EOF");
        }
        return (int) len;
    }

    private void advance(int n) {
        if (n > end - pos) {
            throw new IllegalArgumentException("unexpected EOF");
        }
        pos += n;
    }
}
