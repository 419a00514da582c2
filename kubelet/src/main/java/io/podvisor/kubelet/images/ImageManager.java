package io.podvisor.kubelet.images;

import io.podvisor.api.PodDefaults;
import io.podvisor.api.events.EventTypes;
import io.podvisor.api.events.Reasons;
import io.podvisor.core.Backoff;
import io.podvisor.core.Clock;
import io.podvisor.kubelet.Messages;
import io.podvisor.runtime.image.ImageInfo;
import io.podvisor.runtime.image.ImageReference;
import io.podvisor.runtime.image.ImageService;
import io.podvisor.runtime.image.RegistryAuth;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Makes sure a container's image is there before the container is created (spec §14), the node's
 * one image manager. For each start attempt: parse the image ({@code InvalidImageName}), apply the
 * pull policy against the runtime's images ({@code Never} and absent → {@code ErrImageNeverPull}),
 * refuse while the pod's back-off for the image runs ({@code ImagePullBackOff}, 10 s doubling to
 * 300 s per {@code <podUID>_<image>}), else pull with the pod's credentials.
 *
 * <p>Pulls are asynchronous: {@link #ensure} returns {@link Pulling} at once and the caller's
 * {@code wake} runs when the pull ends; the next {@link #ensure} for the same container and image
 * consumes the result (the {@code Pulled} event, or the failure and its back-off). So an
 * {@code Always} image is pulled once per start attempt. Pulls go to the runtime one at a time
 * ({@code serializeImagePulls}), and "including waiting" counts the wait for earlier pulls.
 *
 * <pre>
 * per container + image   ensure() does
 * (nothing)               decide; may start a pull            → Ready | Failed | Pulling
 * pull running            nothing                             → Pulling
 * pull ended              report it, forget it                → Ready | Failed(ErrImagePull)
 * </pre>
 *
 * <p>Thread-safety: {@code ensure} is called on the pod's worker key; completions arrive on the
 * runtime's threads and only store the outcome and call {@code wake}.
 */
public final class ImageManager {

    /** Waiting reason: the last pull failed (message: the runtime's error). */
    public static final String ERR_IMAGE_PULL = "ErrImagePull";
    /** Waiting reason: a pull failed recently and the back-off has not run out. */
    public static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";
    /** Waiting reason: the image is absent and the policy is {@code Never}. */
    public static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";
    /** Waiting reason: the image cannot be parsed. */
    public static final String INVALID_IMAGE_NAME = "InvalidImageName";
    /** How soon a container that cannot have its image is looked at again (the pod worker's retry). */
    public static final Duration RETRY = Duration.ofSeconds(10);

    /** Where the manager's events about one container go. */
    @FunctionalInterface
    public interface Events {
        void event(String type, String reason, String message);
    }

    /**
     * One container's need for its image.
     *
     * @param podUid      the pod (back-off is per pod and image)
     * @param container   the container's name
     * @param image       the image as the spec gives it (events quote it as given)
     * @param pullPolicy  {@code Always}, {@code IfNotPresent}, {@code Never}; null: the API's default
     * @param credentials the credentials for a reference, asked only when a pull starts
     */
    public record Request(String podUid, String container, String image, String pullPolicy,
                          Function<ImageReference, List<RegistryAuth>> credentials) {}

    /** What the caller does with the container now. */
    public sealed interface Decision permits Ready, Pulling, Failed {}

    /** The image is there: create the container; {@code imageRef} is what {@code imageID} shows. */
    public record Ready(String imageRef) implements Decision {}

    /** A pull is under way; the container keeps waiting and {@code wake} runs when it ends. */
    public record Pulling() implements Decision {}

    /** The container cannot be created: show {@code reason}/{@code message}, look again at {@code retryAt}. */
    public record Failed(String reason, String message, Instant retryAt) implements Decision {}

    private static final Pulling PULLING = new Pulling();

    /**
     * A pull asked for by one container, and its outcome once it ended. Whoever comes second of the
     * pull's end and {@link #ensure} returning {@link Pulling} is the one that wakes the caller: a
     * pull that ends inside {@code ensure} is reported there, without a wake-up.
     */
    private static final class Pull {
        final Instant asked;
        private PullQueue.Outcome outcome;
        private boolean handedBack;

        Pull(Instant asked) {
            this.asked = asked;
        }

        synchronized PullQueue.Outcome outcome() {
            return outcome;
        }

        /** Records the outcome; true if {@code ensure} already returned and the caller must be woken. */
        synchronized boolean end(PullQueue.Outcome o) {
            outcome = o;
            return handedBack;
        }

        /** Called by {@code ensure} once the pull is submitted: the outcome if it already ended, else null. */
        synchronized PullQueue.Outcome handBack() {
            handedBack = true;
            return outcome;
        }
    }

    /** The last failed pull of a back-off key: when, and {@code ErrImagePull: <error>}. */
    private record LastFailure(Instant at, String message) {}

    private final ImageService images;
    private final Clock clock;
    private final PullQueue queue;
    private final Backoff backoff;
    private final Map<String, Pull> pulls = new ConcurrentHashMap<>();
    private final Map<String, LastFailure> failures = new ConcurrentHashMap<>();

    /**
     * @param serialize one pull at a time on the node (upstream's default), else all at once
     */
    public ImageManager(ImageService images, Clock clock, boolean serialize) {
        this.images = images;
        this.clock = clock;
        this.queue = new PullQueue(images, clock, serialize);
        this.backoff = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(300), clock);
    }

    /**
     * Decides about {@code r}'s image, recording the kubelet's events through {@code events}.
     *
     * @param wake run (on a runtime thread) when a pull this call started has ended
     */
    public Decision ensure(Request r, Events events, Runnable wake) {
        String key = r.podUid() + "/" + r.container() + "/" + r.image();
        Pull pull = pulls.get(key);
        if (pull != null) {
            return pull.outcome() == null ? PULLING : finish(r, key, pull, events);
        }
        ImageReference ref;
        try {
            ref = ImageNames.parse(r.image());
        } catch (IllegalArgumentException e) {
            String msg = Messages.invalidImageName(r.image(), e.getMessage());
            events.event(EventTypes.WARNING, Reasons.INSPECT_FAILED, msg);
            return new Failed(INVALID_IMAGE_NAME, msg, clock.now().plus(RETRY));
        }
        String policy = r.pullPolicy() != null ? r.pullPolicy() : PodDefaults.defaultPullPolicy(r.image());
        Optional<ImageInfo> present = policy.equals("Always") ? Optional.empty() : images.status(ref.toString());
        if (present.isPresent()) {
            events.event(EventTypes.NORMAL, Reasons.PULLED, Messages.imagePresent(r.image()));
            return new Ready(present.get().imageRef());
        }
        if (policy.equals("Never")) {
            String msg = Messages.imageNeverPull(r.image());
            events.event(EventTypes.WARNING, Reasons.ERR_IMAGE_NEVER_PULL, msg);
            return new Failed(ERR_IMAGE_NEVER_PULL, msg, clock.now().plus(RETRY));
        }
        String backOffKey = backOffKey(r);
        LastFailure last = failures.get(backOffKey);
        if (last != null && backoff.isInBackOffSince(backOffKey, last.at())) {
            String msg = Messages.pullBackOff(r.image());
            events.event(EventTypes.NORMAL, Reasons.BACK_OFF, msg);
            return new Failed(IMAGE_PULL_BACK_OFF, msg + ": " + last.message(),
                    earliest(backoff.releaseTime(backOffKey, last.at()), clock.now().plus(RETRY)));
        }
        return startPull(r, key, ref, !policy.equals("Always"), events, wake);
    }

    /** Forgets everything about the pod's containers (it is gone); a pull still running is ignored when it ends. */
    public void forget(String podUid) {
        pulls.keySet().removeIf(k -> k.startsWith(podUid + "/"));
        failures.keySet().removeIf(k -> k.startsWith(podUid + "_"));
        backoff.resetPrefix(podUid + "_");
    }

    private Decision startPull(Request r, String key, ImageReference ref, boolean ifAbsent, Events events, Runnable wake) {
        failures.remove(backOffKey(r));
        events.event(EventTypes.NORMAL, Reasons.PULLING, Messages.pullingImage(r.image()));
        Pull pull = new Pull(clock.now());
        pulls.put(key, pull);
        queue.submit(ref.toString(), r.credentials().apply(ref), ifAbsent).thenAccept(outcome -> {
            if (pull.end(outcome) && pulls.get(key) == pull) {
                wake.run();
            }
        });
        // a pull that ended at once (nothing to fetch) is reported in this same call
        return pull.handBack() == null ? PULLING : finish(r, key, pull, events);
    }

    private Decision finish(Request r, String key, Pull pull, Events events) {
        pulls.remove(key);
        PullQueue.Outcome o = pull.outcome();
        if (o.error() != null) {
            String backOffKey = backOffKey(r);
            events.event(EventTypes.WARNING, Reasons.FAILED, Messages.pullFailed(r.image(), o.error()));
            Instant now = clock.now();
            backoff.next(backOffKey, now);
            failures.put(backOffKey, new LastFailure(now, ERR_IMAGE_PULL + ": " + o.error()));
            return new Failed(ERR_IMAGE_PULL, o.error(), earliest(backoff.releaseTime(backOffKey, now), now.plus(RETRY)));
        }
        events.event(EventTypes.NORMAL, Reasons.PULLED, Messages.pulledImage(r.image(), o.pulling(),
                Duration.between(pull.asked, o.finished()), o.info().size()));
        return new Ready(o.info().imageRef());
    }

    private static String backOffKey(Request r) {
        return r.podUid() + "_" + r.image();
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
