package io.podvisor.api.validation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.podvisor.api.Containers;
import io.podvisor.api.PodDefaults;
import java.util.ArrayList;
import java.util.List;

/**
 * Pod defaults beyond {@link PodDefaults}: what upstream's pod-spec defaulting and admission add
 * ({@code securityContext: {}}, pull policy for an image-less container, the {@code default}
 * service account, {@code priority 0} with {@code PreemptLowerPriority}, the not-ready and
 * unreachable NoExecute tolerations for 300 s, a negative grace period raised to 1). Pod
 * templates get the spec defaults but no requests from limits and no admission additions.
 */
final class PodSpecDefaults {

    static final long DEFAULT_TOLERATION_SECONDS = 300;
    static final List<String> NODE_TAINTS = List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");

    private PodSpecDefaults() {}

    static void pod(Pod pod) {
        if (pod.getSpec() == null) {
            pod.setSpec(new PodSpec());
        }
        PodDefaults.apply(pod);
        PodSpec spec = pod.getSpec();
        common(spec);
        Long grace = spec.getTerminationGracePeriodSeconds();
        if (grace != null && grace < 0) {
            spec.setTerminationGracePeriodSeconds(1L);
        }
        if (spec.getServiceAccountName() == null || spec.getServiceAccountName().isEmpty()) {
            spec.setServiceAccountName(spec.getServiceAccount() == null || spec.getServiceAccount().isEmpty()
                    ? "default" : spec.getServiceAccount());
        }
        spec.setServiceAccount(spec.getServiceAccountName());
        if (spec.getPriority() == null && (spec.getPriorityClassName() == null || spec.getPriorityClassName().isEmpty())) {
            spec.setPriority(0);
        }
        if (spec.getPreemptionPolicy() == null) {
            spec.setPreemptionPolicy("PreemptLowerPriority");
        }
        tolerations(spec);
    }

    /** Defaults a pod template's spec like a pod's, without requests from limits or admission additions. */
    static void template(PodSpec spec) {
        PodDefaults.template(spec);
        common(spec);
    }

    private static void common(PodSpec spec) {
        if (spec.getSecurityContext() == null) {
            spec.setSecurityContext(new PodSecurityContext());
        }
        for (Container c : Containers.all(spec)) {
            if (c.getImagePullPolicy() == null) {
                c.setImagePullPolicy("Always");
            }
        }
    }

    private static void tolerations(PodSpec spec) {
        List<Toleration> list = spec.getTolerations() == null ? new ArrayList<>() : new ArrayList<>(spec.getTolerations());
        boolean added = false;
        for (String taint : NODE_TAINTS) {
            if (list.stream().noneMatch(t -> toleratesNoExecute(t, taint))) {
                list.add(new Toleration("NoExecute", taint, "Exists", DEFAULT_TOLERATION_SECONDS, null));
                added = true;
            }
        }
        if (added) {
            spec.setTolerations(list);
        }
    }

    /** Whether a toleration already tolerates {@code <taint>:NoExecute} (key match or wildcard). */
    private static boolean toleratesNoExecute(Toleration t, String taint) {
        String effect = t.getEffect() == null ? "" : t.getEffect();
        if (!effect.isEmpty() && !effect.equals("NoExecute")) {
            return false;
        }
        String key = t.getKey() == null ? "" : t.getKey();
        if ("Exists".equals(t.getOperator())) {
            return key.isEmpty() || key.equals(taint);
        }
        return key.equals(taint) && (t.getValue() == null || t.getValue().isEmpty());
    }
}
