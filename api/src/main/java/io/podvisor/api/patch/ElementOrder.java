package io.podvisor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The order of a merged list, as upstream's strategic merge computes it: the elements the patch
 * (or {@code $setElementOrder}) names come in that order; the elements only the live list has
 * keep their live order and are interleaved where their live position puts them before a named
 * element.
 */
final class ElementOrder {

    private ElementOrder() {}

    /**
     * @param merged the merged elements, in any order
     * @param wanted the identities of the elements the patch names, in the wanted order
     * @param live the identities of the live list's elements, in live order
     * @param identity an element's identity (its merge key value, or the scalar itself)
     */
    static List<JsonNode> normalize(List<JsonNode> merged, List<JsonNode> wanted, List<JsonNode> live,
            Function<JsonNode, JsonNode> identity) {
        List<JsonNode> named = new ArrayList<>();
        List<JsonNode> liveOnly = new ArrayList<>();
        for (JsonNode e : merged) {
            (wanted.contains(identity.apply(e)) ? named : liveOnly).add(e);
        }
        named.sort(byIndexIn(wanted, identity));
        liveOnly.sort(byIndexIn(live, identity));
        return interleave(liveOnly, named, live, identity);
    }

    /** Orders by position in {@code order}; elements not in it go last, keeping their order. */
    private static Comparator<JsonNode> byIndexIn(List<JsonNode> order, Function<JsonNode, JsonNode> identity) {
        return Comparator.comparingInt(e -> {
            int i = order.indexOf(identity.apply(e));
            return i < 0 ? Integer.MAX_VALUE : i;
        });
    }

    /**
     * Inserts each live-only element before the first named element that comes after it in the
     * live list; both inputs keep their relative order.
     */
    private static List<JsonNode> interleave(List<JsonNode> liveOnly, List<JsonNode> named, List<JsonNode> live,
            Function<JsonNode, JsonNode> identity) {
        List<JsonNode> out = new ArrayList<>(liveOnly.size() + named.size());
        int i = 0;
        int j = 0;
        while (i < liveOnly.size() && j < named.size()) {
            int li = live.indexOf(identity.apply(liveOnly.get(i)));
            int ri = live.indexOf(identity.apply(named.get(j)));
            if (li >= 0 && ri >= 0 && li < ri) {
                out.add(liveOnly.get(i++));
            } else {
                out.add(named.get(j++));
            }
        }
        out.addAll(liveOnly.subList(i, liveOnly.size()));
        out.addAll(named.subList(j, named.size()));
        return out;
    }
}
