package io.podvisor.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The YAML and JSON codecs for Kubernetes objects, and deep copies through JSON. */
public final class Yaml {

    private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)));
    private static final ObjectMapper JSON = newJsonMapper();

    private Yaml() {}

    /**
     * A new JSON mapper configured like this codec (nulls omitted, unknown properties tolerated,
     * MicroTime fields), for components that keep their own.
     */
    public static ObjectMapper newJsonMapper() {
        // a character outside the BMP (an emoji) is written as one 4-byte UTF-8 sequence, not as two
        // encoded surrogates that no UTF-8 reader (this one included) accepts back
        return configure(new ObjectMapper(JsonFactory.builder()
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build()));
    }

    /** A new YAML-reading mapper configured like {@link #newJsonMapper()}. */
    public static ObjectMapper newYamlMapper() {
        return configure(new ObjectMapper(new YAMLFactory()));
    }

    private static ObjectMapper configure(ObjectMapper m) {
        return m.setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .registerModule(microTimes());
    }

    /**
     * The model's {@code ZonedDateTime} fields (Lease {@code renewTime}/{@code acquireTime}) are
     * MicroTimes: written in UTC with six fraction digits, read from any RFC 3339 form.
     */
    private static SimpleModule microTimes() {
        DateTimeFormatter micro = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
        SimpleModule module = new SimpleModule("podvisor-micro-time");
        module.addSerializer(ZonedDateTime.class, new JsonSerializer<>() {
            @Override
            public void serialize(ZonedDateTime v, JsonGenerator gen, SerializerProvider p) throws IOException {
                gen.writeString(micro.format(v));
            }
        });
        module.addDeserializer(ZonedDateTime.class, new JsonDeserializer<>() {
            @Override
            public ZonedDateTime deserialize(JsonParser parser, DeserializationContext c) throws IOException {
                return ZonedDateTime.ofInstant(OffsetDateTime.parse(parser.getValueAsString()).toInstant(), ZoneOffset.UTC);
            }
        });
        return module;
    }

    public static <T> T read(String yaml, Class<T> type) {
        try {
            return YAML.readValue(yaml, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot decode " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    public static String write(Object o) {
        try {
            return YAML.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A deep copy of a model object. */
    @SuppressWarnings("unchecked")
    public static <T> T copy(T o) {
        if (o == null) {
            return null;
        }
        return (T) JSON.convertValue(o, o.getClass());
    }
}
