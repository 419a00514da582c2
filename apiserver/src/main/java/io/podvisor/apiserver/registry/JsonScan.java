package io.podvisor.apiserver.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What Go's JSON decoding of a body sees that a Jackson tree hides: keys given twice in one object
 * (Jackson keeps the last silently; upstream's strict decoding reports {@code duplicate field
 * "spec.replicas"}) and bytes after the top-level value ({@code invalid character 'x' after
 * top-level value}).
 */
public final class JsonScan {

    private JsonScan() {}

    /** A key given again: its path, the key and the line it is on again (1-based). */
    public record Duplicate(String path, String key, int line) {}

    /**
     * The repeated keys in document order, with paths as upstream prints field paths
     * ({@code metadata.name}, {@code spec.containers[0].name}); the body must be well-formed for
     * the factory (JSON or YAML).
     */
    public static List<Duplicate> duplicates(JsonFactory factory, byte[] body) throws IOException {
        List<Duplicate> out = new ArrayList<>();
        Deque<Frame> stack = new ArrayDeque<>();
        try (JsonParser p = factory.createParser(body)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        String path = stack.isEmpty() ? "" : stack.peek().childPath();
                        stack.push(new Frame(path, t == JsonToken.START_ARRAY));
                    }
                    case END_OBJECT, END_ARRAY -> {
                        stack.pop();
                        if (!stack.isEmpty()) {
                            stack.peek().valueDone();
                        }
                    }
                    case FIELD_NAME -> {
                        Frame f = stack.peek();
                        f.key = p.currentName();
                        if (!f.keys.add(f.key)) {
                            out.add(new Duplicate(f.childPath(), f.key, p.currentTokenLocation().getLineNr()));
                        }
                    }
                    default -> stack.peek().valueDone();
                }
            }
        }
        return out;
    }

    /** The path of an object or array and where its next value goes. */
    private static final class Frame {
        private final String path;
        private final boolean array;
        private final Set<String> keys = new HashSet<>();
        private String key;
        private int index;

        Frame(String path, boolean array) {
            this.path = path;
            this.array = array;
        }

        String childPath() {
            if (array) {
                return path + "[" + index + "]";
            }
            return path.isEmpty() ? key : path + "." + key;
        }

        void valueDone() {
            if (array) {
                index++;
            }
        }
    }

    /**
     * Go's complaint about what follows the top-level value that ends at {@code end}, or null when
     * only whitespace does.
     */
    public static String trailing(byte[] body, long end) {
        for (int i = (int) end; i < body.length; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return "invalid character " + quoteChar(b) + " after top-level value";
            }
        }
        return null;
    }

    /** Go's {@code quoteChar} of one byte. */
    private static String quoteChar(byte b) {
        int c = b & 0xff;
        if (c == '\'') {
            return "'\\''";
        }
        if (c == '"') {
            return "'\"'";
        }
        if (c >= 0x20 && c < 0x7f) {
            return "'" + (char) c + "'";
        }
        return String.format("'\\x%02x'", c);
    }
}
