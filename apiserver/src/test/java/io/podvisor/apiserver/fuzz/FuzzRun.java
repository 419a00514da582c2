package io.podvisor.apiserver.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podvisor.api.resources.ResourceType;
import io.podvisor.api.resources.ResourceTypes;
import io.podvisor.apiserver.fuzz.FuzzCorpus.Seed;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A seeded fuzz run against a {@link FuzzNode}: first every seed of {@link FuzzCorpus} is created
 * (each must be accepted), then {@code count} requests each send a mutated seed as a create
 * ({@code POST}), a replace ({@code PUT}) of the seed's object, or a merge or strategic merge
 * patch of it. A request fails the run when it answers 5xx, takes longer than the deadline, or is
 * rejected (4xx) after writing to the store (the revision moved). Every 1,000 requests and at the
 * end, each kind is listed as JSON and as a Table in all namespaces, which must answer 200: one
 * stored object must never break a listing.
 */
public final class FuzzRun {

    /** The outcome: answers by status code, and what went wrong (empty when nothing did). */
    public record Result(int requests, Map<Integer, Integer> codes, List<String> failures) {}

    static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    private static final int MAX_FAILURES = 20;

    private final FuzzNode node;
    private final Random random;
    private final Mutator mutator;
    private final Map<Integer, Integer> codes = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();

    public FuzzRun(FuzzNode node, long seed) {
        this.node = node;
        this.random = new Random(seed);
        this.mutator = new Mutator(random);
    }

    /** Runs {@code count} mutated requests after creating the seeds. */
    public Result run(int count) throws IOException, InterruptedException {
        List<Seed> seeds = FuzzCorpus.seeds();
        for (int i = 0; i < seeds.size(); i++) {
            Seed s = seeds.get(i);
            ObjectNode body = named(s.body().deepCopy(), seedName(i));
            HttpResponse<String> r = node.send("POST", collection(s.type()), "application/json", body.toString(),
                    "application/json", DEADLINE);
            if (r.statusCode() != 201) {
                failures.add("seed " + i + " (" + s.type().plural() + ") not accepted: " + r.statusCode() + " " + r.body());
            }
        }
        for (int i = 0; i < count && failures.size() < MAX_FAILURES; i++) {
            int which = random.nextInt(seeds.size());
            one(i, which, seeds.get(which));
            if ((i + 1) % 1000 == 0) {
                lists("after request " + i);
            }
        }
        lists("at the end");
        return new Result(count, codes, List.copyOf(failures));
    }

    private void one(int i, int which, Seed seed) throws IOException, InterruptedException {
        ResourceType type = seed.type();
        int verb = random.nextInt(10);
        String name = verb < 6 ? "fz-" + i : seedName(which);
        ObjectNode body = named(seed.body().deepCopy(), name);
        List<String> mutations = mutator.mutate(body);
        String method;
        String path;
        String contentType = "application/json";
        if (verb < 6) {
            method = "POST";
            path = collection(type);
        } else {
            path = collection(type) + "/" + name;
            method = verb < 8 ? "PUT" : "PATCH";
            if (verb == 8) {
                contentType = "application/merge-patch+json";
            } else if (verb == 9) {
                contentType = "application/strategic-merge-patch+json";
            }
        }
        long before = node.revision();
        HttpResponse<String> r;
        String what = "request " + i + ": " + method + " " + path + " " + mutations;
        try {
            r = node.send(method, path, contentType, body.toString(), "application/json", DEADLINE);
        } catch (HttpTimeoutException e) {
            failures.add(what + ": no answer within " + DEADLINE);
            return;
        }
        codes.merge(r.statusCode(), 1, Integer::sum);
        if (r.statusCode() >= 500) {
            failures.add(what + ": " + r.statusCode() + " " + r.body() + "\n  body: " + body);
        } else if (r.statusCode() >= 400 && node.revision() != before) {
            failures.add(what + ": rejected with " + r.statusCode() + " but the store moved from revision " + before
                    + " to " + node.revision() + "\n  body: " + body);
        }
    }

    private void lists(String when) throws IOException, InterruptedException {
        for (ResourceType type : ResourceTypes.ALL_TYPES) {
            String path = (type.group().isEmpty() ? "/api/v1/" : "/apis/" + type.group() + "/v1/") + type.plural();
            for (String accept : List.of("application/json", TABLE)) {
                HttpResponse<String> r = node.send("GET", path, null, null, accept, DEADLINE);
                if (r.statusCode() != 200) {
                    failures.add("list " + path + " as " + accept + " " + when + ": " + r.statusCode() + " " + r.body());
                }
            }
        }
    }

    private static String seedName(int i) {
        return "seed-" + i;
    }

    private static ObjectNode named(ObjectNode body, String name) {
        if (!(body.get("metadata") instanceof ObjectNode)) {
            body.putObject("metadata");
        }
        ((ObjectNode) body.get("metadata")).put("name", name);
        return body;
    }

    private static String collection(ResourceType type) {
        String prefix = type.group().isEmpty() ? "/api/v1/" : "/apis/" + type.group() + "/v1/";
        return prefix + (type.namespaced() ? "namespaces/default/" : "") + type.plural();
    }

    /** Renders a result for a report or an assertion message. */
    public static String describe(Result r) {
        StringBuilder b = new StringBuilder(r.requests() + " requests, answers by code " + r.codes());
        r.failures().forEach(f -> b.append("\n- ").append(f));
        return b.toString();
    }
}
