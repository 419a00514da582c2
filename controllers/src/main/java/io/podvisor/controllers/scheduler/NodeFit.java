package io.podvisor.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether a pod fits a node (pure). The filters run in the order of upstream's default profile
 * and the first that fails decides, as in the scheduler framework: NodeUnschedulable, TaintToleration
 * (NoSchedule and NoExecute taints), NodeAffinity (nodeSelector and required node affinity with
 * In/NotIn/Exists/DoesNotExist), NodeResourcesFit (pod count, then every requested resource against
 * {@code allocatable} minus the requests of the node's other non-terminal pods).
 */
public final class NodeFit {

    /**
     * The outcome for one node.
     *
     * @param reasons      empty when the pod fits, else the failing filter's reasons
     * @param unresolvable whether preemption could not help (the failure is not about resources)
     */
    public record Result(List<String> reasons, boolean unresolvable) {
        public boolean fits() {
            return reasons.isEmpty();
        }
    }

    public static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";

    private NodeFit() {}

    /** Evaluates {@code pod} on {@code node}, whose other non-terminal pods are {@code others}. */
    public static Result evaluate(Pod pod, Node node, List<Pod> others) {
        return evaluateWith(pod, node, others.stream().map(PodRequests::effective).toList());
    }

    /**
     * Evaluates {@code pod} on {@code node}, whose other non-terminal pods request {@code others}
     * (each one's {@link PodRequests#effective} requests).
     */
    public static Result evaluateWith(Pod pod, Node node, List<Map<String, BigDecimal>> others) {
        List<Toleration> tolerations = pod.getSpec().getTolerations();
        if (Boolean.TRUE.equals(node.getSpec() == null ? null : node.getSpec().getUnschedulable())
                && !tolerated(new Taint("NoSchedule", UNSCHEDULABLE_TAINT, null, null), tolerations)) {
            return new Result(List.of("node(s) were unschedulable"), true);
        }
        if (node.getSpec() != null) {
            for (Taint t : node.getSpec().getTaints()) {
                if (("NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect())) && !tolerated(t, tolerations)) {
                    String value = t.getValue() == null ? "" : t.getValue();
                    return new Result(List.of("node(s) had untolerated taint {" + t.getKey() + ": " + value + "}"), true);
                }
            }
        }
        if (!matchesSelector(pod, node)) {
            return new Result(List.of("node(s) didn't match Pod's node affinity/selector"), true);
        }
        return new Result(insufficient(pod, node, others), false);
    }

    /** NodeResourcesFit's reasons: {@code Too many pods}, {@code Insufficient <resource>}. */
    static List<String> insufficient(Pod pod, Node node, List<Map<String, BigDecimal>> others) {
        Map<String, BigDecimal> allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null
                ? Map.of() : PodRequests.amounts(node.getStatus().getAllocatable());
        List<String> reasons = new ArrayList<>();
        BigDecimal maxPods = allocatable.get("pods");
        if (maxPods != null && BigDecimal.valueOf(others.size() + 1L).compareTo(maxPods) > 0) {
            reasons.add("Too many pods");
        }
        Map<String, BigDecimal> used = new TreeMap<>();
        others.forEach(r -> PodRequests.add(used, r));
        for (Map.Entry<String, BigDecimal> e : PodRequests.effective(pod).entrySet()) {
            if (e.getValue().signum() <= 0) {
                continue;
            }
            BigDecimal free = allocatable.getOrDefault(e.getKey(), BigDecimal.ZERO)
                    .subtract(used.getOrDefault(e.getKey(), BigDecimal.ZERO));
            if (e.getValue().compareTo(free) > 0) {
                reasons.add("Insufficient " + e.getKey());
            }
        }
        return reasons;
    }

    /** Whether some toleration tolerates {@code taint} (operator Exists/Equal, empty key/effect match all). */
    static boolean tolerated(Taint taint, List<Toleration> tolerations) {
        if (tolerations == null) {
            return false;
        }
        for (Toleration t : tolerations) {
            boolean effect = t.getEffect() == null || t.getEffect().isEmpty() || t.getEffect().equals(taint.getEffect());
            boolean key = t.getKey() == null || t.getKey().isEmpty() ? "Exists".equals(t.getOperator())
                    : t.getKey().equals(taint.getKey());
            boolean value = "Exists".equals(t.getOperator())
                    || nz(t.getValue()).equals(nz(taint.getValue()));
            if (effect && key && value) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesSelector(Pod pod, Node node) {
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        Map<String, String> selector = pod.getSpec().getNodeSelector();
        if (selector != null && !selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        var affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null
                || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return true;
        }
        List<NodeSelectorTerm> terms = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms();
        return terms.stream().anyMatch(term -> !term.getMatchExpressions().isEmpty()
                && term.getMatchExpressions().stream().allMatch(r -> matches(r, labels)));
    }

    private static boolean matches(NodeSelectorRequirement r, Map<String, String> labels) {
        String v = labels.get(r.getKey());
        return switch (r.getOperator()) {
            case "In" -> v != null && r.getValues().contains(v);
            case "NotIn" -> v == null || !r.getValues().contains(v);
            case "Exists" -> v != null;
            case "DoesNotExist" -> v == null;
            default -> false;
        };
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
