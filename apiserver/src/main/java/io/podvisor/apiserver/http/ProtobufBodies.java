package io.podvisor.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.api.errors.ApiException;
import io.podvisor.apiserver.http.ProtoSchema.Field;
import io.podvisor.apiserver.http.ProtoSchema.Kind;
import io.podvisor.apiserver.http.ProtoSchema.Message;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Decodes {@code application/vnd.kubernetes.protobuf} request bodies (the {@code k8s\0} magic
 * followed by a {@code runtime.Unknown} envelope) into the JSON tree the same object sent as JSON
 * would give. Zero values of non-pointer fields are left out as Go's {@code omitempty} does.
 * Field numbers the {@link ProtoSchema} does not know are skipped; their paths are collected in
 * {@link Decoded#skipped()} (upstream does not apply field validation to protobuf either).
 */
final class ProtobufBodies {

    static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The decoded object and the paths of the fields that were skipped. */
    record Decoded(ObjectNode object, List<String> skipped) {}

    private final List<String> skipped = new ArrayList<>();

    private ProtobufBodies() {}

    static boolean isProtobuf(String contentType) {
        return Bodies.base(contentType).equals(MEDIA_TYPE);
    }

    /**
     * Decodes a protobuf body: 400 for malformed input, 415 (with {@code unknownFormat}) for a
     * type the schema table does not cover.
     */
    static Decoded decode(byte[] body, String unknownFormat) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (body.length < MAGIC.length || body[i] != MAGIC[i]) {
                throw new ApiException.BadRequest(
                        "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
            }
        }
        try {
            return new ProtobufBodies().envelope(new ProtoReader(body, MAGIC.length, body.length), unknownFormat);
        } catch (IllegalArgumentException e) {
            throw new ApiException.BadRequest("couldn't decode protobuf body: " + e.getMessage());
        }
    }

    private Decoded envelope(ProtoReader r, String unknownFormat) {
        String apiVersion = "";
        String kind = "";
        ProtoReader raw = null;
        String encoding = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> {
                    ProtoReader tm = r.message();
                    while (tm.next()) {
                        switch (tm.field()) {
                            case 1 -> apiVersion = tm.string();
                            case 2 -> kind = tm.string();
                            default -> tm.skip();
                        }
                    }
                }
                case 2 -> raw = r.message();
                case 3 -> encoding = r.string();
                default -> r.skip();
            }
        }
        Message schema = ProtoSchema.of(apiVersion, kind);
        if (schema == null || !encoding.isEmpty()) {
            throw new ApiException.UnsupportedMediaType(unknownFormat);
        }
        ObjectNode out = NODES.objectNode();
        out.put("kind", kind);
        out.put("apiVersion", apiVersion);
        if (raw != null) {
            out.setAll(message(raw, schema, ""));
        }
        return new Decoded(out, List.copyOf(skipped));
    }

    private ObjectNode message(ProtoReader r, Message schema, String path) {
        ObjectNode out = NODES.objectNode();
        while (r.next()) {
            Field f = schema.fields.get(r.field());
            if (f == null) {
                skipped.add(path + "#" + r.field());
                r.skip();
                continue;
            }
            if (f.kind() == Kind.IGNORED) {
                r.skip();
                continue;
            }
            String here = path.isEmpty() ? f.json() : path + "." + f.json();
            if (f.kind() == Kind.MAP) {
                mapEntry(r, f, out.has(f.json()) ? (ObjectNode) out.get(f.json()) : out.putObject(f.json()));
            } else if (f.repeated()) {
                ArrayNode list = out.has(f.json()) ? (ArrayNode) out.get(f.json()) : out.putArray(f.json());
                repeated(r, f, list, here + "[" + list.size() + "]");
            } else {
                JsonNode v = value(r, f, here);
                if (v == null || (!f.pointer() && isZero(v))) {
                    out.remove(f.json());
                } else {
                    out.set(f.json(), v);
                }
            }
        }
        return out;
    }

    private void repeated(ProtoReader r, Field f, ArrayNode list, String path) {
        if (f.kind() == Kind.INT && r.wireType() == ProtoReader.LENGTH_DELIMITED) {
            ProtoReader packed = r.message();
            while (packed.hasMore()) {
                list.add(number(packed.varint()));
            }
            return;
        }
        JsonNode v = value(r, f, path);
        list.add(v == null ? NODES.objectNode() : v);
    }

    private void mapEntry(ProtoReader r, Field f, ObjectNode map) {
        ProtoReader entry = r.message();
        String key = "";
        JsonNode value = null;
        while (entry.next()) {
            switch (entry.field()) {
                case 1 -> key = entry.string();
                case 2 -> value = switch (f.valueKind()) {
                    case BYTES -> NODES.textNode(Base64.getEncoder().encodeToString(entry.bytes()));
                    case QUANTITY -> quantity(entry);
                    default -> NODES.textNode(entry.string());
                };
                default -> entry.skip();
            }
        }
        map.set(key, value == null ? NODES.textNode("") : value);
    }

    /** One value; null means "absent" (an empty Time). */
    private JsonNode value(ProtoReader r, Field f, String path) {
        return switch (f.kind()) {
            case STRING -> NODES.textNode(r.string());
            case BYTES -> NODES.textNode(Base64.getEncoder().encodeToString(r.bytes()));
            case BOOL -> {
                r.expect(ProtoReader.VARINT);
                yield NODES.booleanNode(r.varint() != 0);
            }
            case INT -> {
                r.expect(ProtoReader.VARINT);
                yield number(r.varint());
            }
            case TIME -> time(r.message());
            case INT_OR_STRING -> intOrString(r.message());
            case QUANTITY -> quantity(r);
            case MESSAGE -> message(r.message(), f.message(), path);
            default -> throw new IllegalStateException("no value for " + f.kind());
        };
    }

    private static JsonNode number(long v) {
        return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
    }

    private static boolean isZero(JsonNode v) {
        return (v.isTextual() && v.textValue().isEmpty()) || (v.isNumber() && v.longValue() == 0)
                || (v.isBoolean() && !v.booleanValue()) || (v.isObject() && v.isEmpty());
    }

    private static JsonNode time(ProtoReader r) {
        long seconds = 0;
        long nanos = 0;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> seconds = r.varint();
                case 2 -> nanos = r.varint();
                default -> r.skip();
            }
        }
        if (seconds == 0 && nanos == 0) {
            return null;
        }
        Instant t = Instant.ofEpochSecond(seconds).truncatedTo(ChronoUnit.SECONDS);
        return NODES.textNode(DateTimeFormatter.ISO_INSTANT.format(t));
    }

    private static JsonNode intOrString(ProtoReader r) {
        long type = 0;
        long intVal = 0;
        String strVal = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> type = r.varint();
                case 2 -> intVal = r.varint();
                case 3 -> strVal = r.string();
                default -> r.skip();
            }
        }
        return type == 1 ? NODES.textNode(strVal) : NODES.numberNode((int) intVal);
    }

    private static JsonNode quantity(ProtoReader r) {
        ProtoReader q = r.message();
        String s = "";
        while (q.next()) {
            if (q.field() == 1) {
                s = q.string();
            } else {
                q.skip();
            }
        }
        return NODES.textNode(s);
    }
}
