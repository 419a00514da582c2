package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.podvisor.api.events.EventTypes;
import io.podvisor.api.events.Reasons;
import io.podvisor.kubelet.images.DockerKeyring;
import io.podvisor.kubelet.images.ImageManager;
import java.util.ArrayList;
import java.util.List;

/**
 * The image step of one pod's container starts: reads the pod's {@code imagePullSecrets} (once per
 * sync that starts containers; a missing secret is a {@code FailedToRetrieveImagePullSecret}
 * warning and the pull goes on without it), asks the node's {@link ImageManager}, and turns a
 * failure into the container's waiting reason, an {@code Error: <reason>} event and a retry.
 * Used on the pod's worker key only.
 */
final class ContainerImages {

    private final KubeletContext ctx;
    private final PodWorker worker;
    private DockerKeyring keyring = DockerKeyring.EMPTY;

    ContainerImages(KubeletContext ctx, PodWorker worker) {
        this.ctx = ctx;
        this.worker = worker;
    }

    /** Reads the pod's pull secrets for the starts of this sync. */
    void readPullSecrets(Pod pod) {
        List<Secret> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<LocalObjectReference> refs = pod.getSpec().getImagePullSecrets();
        for (LocalObjectReference ref : refs == null ? List.<LocalObjectReference>of() : refs) {
            if (ref.getName() == null || ref.getName().isEmpty()) {
                continue;
            }
            Secret s = ctx.cluster().secret(pod.getMetadata().getNamespace(), ref.getName());
            if (s == null) {
                missing.add(ref.getName());
            } else {
                found.add(s);
            }
        }
        if (!missing.isEmpty()) {
            worker.event(null, EventTypes.WARNING, Messages.FAILED_TO_RETRIEVE_PULL_SECRET, Messages.pullSecretsMissing(missing));
        }
        keyring = DockerKeyring.of(found);
    }

    /**
     * Whether {@code c}'s image is ready. A failure is recorded as the container's waiting reason
     * and the worker resyncs when it is worth trying again; a running pull resyncs the worker when
     * it ends.
     */
    ImageManager.Decision ensure(Pod pod, PodContainer c) {
        String uid = pod.getMetadata().getUid();
        ImageManager.Request request = new ImageManager.Request(uid, c.name(), c.spec().getImage(),
                c.spec().getImagePullPolicy(), keyring::lookup);
        ImageManager.Decision d = ctx.images().ensure(request, (type, reason, message) -> worker.event(c, type, reason, message),
                worker::requestSync);
        if (d instanceof ImageManager.Failed f) {
            ctx.reasons().put(uid, c.name(), f.reason(), f.message());
            worker.event(c, EventTypes.WARNING, Reasons.FAILED, "Error: " + f.reason());
            worker.resyncAt(f.retryAt());
        }
        return d;
    }
}
