package io.podvisor.apiserver.select;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields each kind offers to field selectors, as upstream's {@code ToSelectableFields}:
 * {@code metadata.name} and {@code metadata.namespace} for every kind, plus per-kind fields
 * (pods, events, secrets, namespaces, nodes, jobs).
 */
public final class SelectableFields {

    private static final List<String> META = List.of("metadata.name", "metadata.namespace");
    private static final List<String> POD = List.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
            "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName");
    private static final List<String> EVENT = List.of("involvedObject.kind", "involvedObject.namespace",
            "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
            "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type");

    private SelectableFields() {}

    /** The supported field names for a model class. */
    public static Set<String> supported(Class<? extends HasMetadata> type) {
        Set<String> out = new LinkedHashSet<>(META);
        if (type == Pod.class) {
            out.addAll(POD);
        } else if (type == Event.class) {
            out.addAll(EVENT);
        } else if (type == Secret.class) {
            out.add("type");
        } else if (type == Namespace.class) {
            out.add("status.phase");
        } else if (type == Node.class) {
            out.add("spec.unschedulable");
        } else if (type == Job.class) {
            out.add("status.successful");
        }
        return out;
    }

    /** The selectable fields of one object (missing values as ""). */
    public static Map<String, String> of(HasMetadata object) {
        Map<String, String> f = new HashMap<>();
        f.put("metadata.name", nz(object.getMetadata().getName()));
        f.put("metadata.namespace", nz(object.getMetadata().getNamespace()));
        switch (object) {
            case Pod p -> pod(p, f);
            case Event e -> event(e, f);
            case Secret s -> f.put("type", nz(s.getType()));
            case Namespace n -> f.put("status.phase", n.getStatus() == null ? "" : nz(n.getStatus().getPhase()));
            case Node n -> f.put("spec.unschedulable",
                    String.valueOf(n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())));
            case Job j -> f.put("status.successful", j.getStatus() == null || j.getStatus().getSucceeded() == null
                    ? "0" : j.getStatus().getSucceeded().toString());
            default -> { }
        }
        return f;
    }

    private static void pod(Pod p, Map<String, String> f) {
        PodSpec s = p.getSpec() == null ? new PodSpec() : p.getSpec();
        PodStatus st = p.getStatus() == null ? new PodStatus() : p.getStatus();
        f.put("spec.nodeName", nz(s.getNodeName()));
        f.put("spec.restartPolicy", nz(s.getRestartPolicy()));
        f.put("spec.schedulerName", nz(s.getSchedulerName()));
        f.put("spec.serviceAccountName", nz(s.getServiceAccountName()));
        f.put("spec.hostNetwork", String.valueOf(Boolean.TRUE.equals(s.getHostNetwork())));
        f.put("status.phase", nz(st.getPhase()));
        f.put("status.podIP", nz(st.getPodIP()));
        f.put("status.nominatedNodeName", nz(st.getNominatedNodeName()));
    }

    private static void event(Event e, Map<String, String> f) {
        ObjectReference o = e.getInvolvedObject() == null ? new ObjectReference() : e.getInvolvedObject();
        f.put("involvedObject.kind", nz(o.getKind()));
        f.put("involvedObject.namespace", nz(o.getNamespace()));
        f.put("involvedObject.name", nz(o.getName()));
        f.put("involvedObject.uid", nz(o.getUid()));
        f.put("involvedObject.apiVersion", nz(o.getApiVersion()));
        f.put("involvedObject.resourceVersion", nz(o.getResourceVersion()));
        f.put("involvedObject.fieldPath", nz(o.getFieldPath()));
        f.put("reason", nz(e.getReason()));
        f.put("reportingComponent", nz(e.getReportingComponent()));
        f.put("source", e.getSource() == null ? "" : nz(e.getSource().getComponent()));
        f.put("type", nz(e.getType()));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
