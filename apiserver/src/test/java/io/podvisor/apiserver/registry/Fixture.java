package io.podvisor.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.podvisor.api.patch.PatchType;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.registry.Registry.Part;
import io.podvisor.apiserver.registry.Registry.WriteOptions;
import io.podvisor.apiserver.registry.Registry.WriteResult;
import io.podvisor.core.DeterministicExecutor;
import io.podvisor.core.FakeClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A started registry over a {@link CompactableStore}, a {@link FakeClock} and a
 * {@link DeterministicExecutor}, with a merge-patch-only patch engine and an unknown-field check
 * that flags any field named {@code foo} or {@code bar}.
 */
final class Fixture {

    static final Instant T0 = Instant.parse("2026-11-22T02:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    final FakeClock clock = new FakeClock(T0);
    final DeterministicExecutor executor = new DeterministicExecutor();
    final CompactableStore store;
    final Registries reg;

    Fixture() {
        this(null);
    }

    /** A registry over an existing store (a restart). */
    Fixture(CompactableStore existing) {
        this(existing, Fixture::fakePatch, Fixture::fooFields);
    }

    /** A registry with the production patch engine and unknown-field finder. */
    static Fixture standard() {
        return new Fixture(null, new StandardPatchEngine(), io.podvisor.api.validation.StrictDecoding::unknownFields);
    }

    private Fixture(CompactableStore existing, PatchEngine patches, BodyDecoder.UnknownFields unknownFields) {
        this.store = existing != null ? existing : new CompactableStore(executor);
        this.reg = new Registries(store, clock, executor, new Random(42), patches, unknownFields);
        reg.start();
        drain();
    }

    void drain() {
        executor.runUntilIdle();
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s.replace('\'', '"'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An object as a request body. */
    static JsonNode tree(Object o) {
        return JSON.valueToTree(o);
    }

    static JsonNode pod(String name) {
        return json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'" + name + "','labels':{'app':'web'}},"
                + "'spec':{'containers':[{'name':'main','image':'nginx'}]}}");
    }

    WriteResult createPod(String ns, String name) {
        return reg.create(ResourceTypes.PODS, ns, pod(name), WriteOptions.DEFAULT);
    }

    WriteResult create(ResourceType type, String ns, String body) {
        return reg.create(type, ns, json(body), WriteOptions.DEFAULT);
    }

    WriteResult mergePatch(ResourceType type, String ns, String name, String patch) {
        return reg.patch(type, ns, name, PatchType.MERGE, patch.replace('\'', '"').getBytes(), WriteOptions.DEFAULT, Part.MAIN);
    }

    HasMetadata get(ResourceType type, String ns, String name) {
        return reg.get(type, ns, name);
    }

    static long rv(HasMetadata o) {
        return Long.parseLong(o.getMetadata().getResourceVersion());
    }

    /** MERGE and APPLY as an RFC 7386 merge; the other types are not needed here. */
    static JsonNode fakePatch(PatchType type, JsonNode live, byte[] body, ResourceType rt, WriteOptions o, String now) {
        JsonNode patch;
        try {
            patch = JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (type != PatchType.MERGE && type != PatchType.APPLY) {
            throw new UnsupportedOperationException(type.name());
        }
        return merge(live == null ? JSON.createObjectNode() : live.deepCopy(), patch);
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject() || !target.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode t = (ObjectNode) target;
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isNull()) {
                t.remove(f.getKey());
            } else {
                t.set(f.getKey(), merge(t.has(f.getKey()) ? t.get(f.getKey()) : JSON.createObjectNode(), f.getValue()));
            }
        }
        return t;
    }

    /** Paths of every field named foo or bar (a stand-in for the schema check). */
    static List<String> fooFields(JsonNode body, Class<? extends HasMetadata> type) {
        List<String> out = new ArrayList<>();
        collect(body, "", out);
        return out;
    }

    private static void collect(JsonNode node, String path, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                String p = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                if (f.getKey().equals("foo") || f.getKey().equals("bar")) {
                    out.add(p);
                } else {
                    collect(f.getValue(), p, out);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "[" + i + "]", out);
            }
        }
    }
}
