package io.podvisor.api;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API server's defaulting of a Pod (spec §0): restart policy, grace period, DNS policy,
 * scheduler, per-container pull policy, termination message, port protocol, probe defaults and
 * requests from limits (pods only, not templates). Mutates and returns its argument; idempotent.
 */
public final class PodDefaults {

    private PodDefaults() {}

    /** Defaults a pod's spec, requests from limits included; a pod without a spec is left alone. */
    public static Pod apply(Pod pod) {
        if (pod.getSpec() != null) {
            spec(pod.getSpec(), true);
        }
        return pod;
    }

    /**
     * Defaults a pod template's spec like a pod's, except that requests are not taken from limits
     * (upstream defaults those on pods only). Mutates and returns its argument.
     */
    public static PodSpec template(PodSpec spec) {
        spec(spec, false);
        return spec;
    }

    private static void spec(PodSpec spec, boolean requestsFromLimits) {
        if (spec.getRestartPolicy() == null) {
            spec.setRestartPolicy("Always");
        }
        if (spec.getTerminationGracePeriodSeconds() == null) {
            spec.setTerminationGracePeriodSeconds(30L);
        }
        if (spec.getDnsPolicy() == null) {
            spec.setDnsPolicy("ClusterFirst");
        }
        if (spec.getSchedulerName() == null) {
            spec.setSchedulerName("default-scheduler");
        }
        if (spec.getEnableServiceLinks() == null) {
            spec.setEnableServiceLinks(true);
        }
        for (Container c : Containers.all(spec)) {
            container(c);
            if (requestsFromLimits) {
                requestsFromLimits(c);
            }
        }
    }

    private static void container(Container c) {
        if (c.getImagePullPolicy() == null && c.getImage() != null) {
            c.setImagePullPolicy(defaultPullPolicy(c.getImage()));
        }
        if (c.getTerminationMessagePath() == null) {
            c.setTerminationMessagePath("/dev/termination-log");
        }
        if (c.getTerminationMessagePolicy() == null) {
            c.setTerminationMessagePolicy("File");
        }
        if (c.getPorts() != null) {
            for (ContainerPort p : c.getPorts()) {
                if (p.getProtocol() == null) {
                    p.setProtocol("TCP");
                }
            }
        }
        probe(c.getLivenessProbe());
        probe(c.getReadinessProbe());
        probe(c.getStartupProbe());
        if (c.getLifecycle() != null) {
            handler(c.getLifecycle().getPostStart());
            handler(c.getLifecycle().getPreStop());
        }
    }

    /** {@code Always} for {@code :latest} or no tag/digest, else {@code IfNotPresent}. */
    public static String defaultPullPolicy(String image) {
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) {
            return "Always";
        }
        return image.substring(colon + 1).equals("latest") ? "Always" : "IfNotPresent";
    }

    private static void probe(Probe p) {
        if (p == null) {
            return;
        }
        if (p.getInitialDelaySeconds() == null) {
            p.setInitialDelaySeconds(0);
        }
        if (p.getPeriodSeconds() == null || p.getPeriodSeconds() == 0) {
            p.setPeriodSeconds(10);
        }
        if (p.getTimeoutSeconds() == null || p.getTimeoutSeconds() == 0) {
            p.setTimeoutSeconds(1);
        }
        if (p.getSuccessThreshold() == null || p.getSuccessThreshold() == 0) {
            p.setSuccessThreshold(1);
        }
        if (p.getFailureThreshold() == null || p.getFailureThreshold() == 0) {
            p.setFailureThreshold(3);
        }
        httpGet(p.getHttpGet());
    }

    private static void handler(LifecycleHandler h) {
        if (h != null) {
            httpGet(h.getHttpGet());
        }
    }

    /** As upstream's SetDefaults_HTTPGetAction, for probes and lifecycle hooks alike. */
    private static void httpGet(HTTPGetAction h) {
        if (h == null) {
            return;
        }
        if (h.getPath() == null || h.getPath().isEmpty()) {
            h.setPath("/");
        }
        if (h.getScheme() == null || h.getScheme().isEmpty()) {
            h.setScheme("HTTP");
        }
    }

    private static void requestsFromLimits(Container c) {
        ResourceRequirements r = c.getResources();
        if (r == null || r.getLimits() == null || r.getLimits().isEmpty()) {
            return;
        }
        Map<String, Quantity> requests = r.getRequests() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(r.getRequests());
        r.getLimits().forEach((k, v) -> requests.putIfAbsent(k, new Quantity(v.getAmount(), v.getFormat())));
        r.setRequests(requests);
    }
}
