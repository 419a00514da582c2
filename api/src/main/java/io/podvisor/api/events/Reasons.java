package io.podvisor.api.events;

/**
 * Event reasons as Kubernetes components write them (spec sections 4, 7, 8, 10, 11). The strings are
 * user-visible API values; keep them exactly as they are.
 */
public final class Reasons {

    private Reasons() {}

    // scheduler
    /** Normal, scheduler: the pod was bound to a node. */
    public static final String SCHEDULED = "Scheduled";
    /** Warning, scheduler: no node fits the pod. */
    public static final String FAILED_SCHEDULING = "FailedScheduling";

    // kubelet: images
    /** Normal: an image pull starts. */
    public static final String PULLING = "Pulling";
    /** Normal: an image was pulled, or was already present. */
    public static final String PULLED = "Pulled";
    /** Warning: an image is absent and the pull policy is Never. */
    public static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";
    /** Warning: the image reference cannot be parsed. */
    public static final String INSPECT_FAILED = "InspectFailed";

    // kubelet: containers
    /** Normal: a container was created. */
    public static final String CREATED = "Created";
    /** Normal: a container was started. */
    public static final String STARTED = "Started";
    /** Normal: a container is being stopped. */
    public static final String KILLING = "Killing";
    /** Normal (image pull) or Warning (restart): back-off is in effect. */
    public static final String BACK_OFF = "BackOff";
    /** Warning: a pull, create or start failed. */
    public static final String FAILED = "Failed";
    /** Warning: a probe failed or errored. */
    public static final String UNHEALTHY = "Unhealthy";
    /** Warning: a probe succeeded with a warning (e.g. an unfollowed redirect). */
    public static final String PROBE_WARNING = "ProbeWarning";
    /** Warning: the postStart hook failed. */
    public static final String FAILED_POST_START_HOOK = "FailedPostStartHook";
    /** Warning: the preStop hook failed. */
    public static final String FAILED_PRE_STOP_HOOK = "FailedPreStopHook";

    // kubelet: pod
    /** Normal: the sandbox changed and will be re-created. */
    public static final String SANDBOX_CHANGED = "SandboxChanged";
    /** Warning: the sandbox could not be created. */
    public static final String FAILED_CREATE_POD_SANDBOX = "FailedCreatePodSandBox";
    /** Warning: a volume could not be set up. */
    public static final String FAILED_MOUNT = "FailedMount";
    /** The kubelet: a pod sync failed for a reason no other event names (it is retried). */
    public static final String FAILED_SYNC = "FailedSync";
    /** A pod (kubelet) or Job (job controller) outlived its {@code activeDeadlineSeconds}. */
    public static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
    /** Warning: the pod was evicted. */
    public static final String EVICTED = "Evicted";

    // job controller
    /** Normal, job controller: {@code Job completed}. */
    public static final String COMPLETED = "Completed";
    /** Normal, controllers: {@code Created pod: <pod>}. */
    public static final String SUCCESSFUL_CREATE = "SuccessfulCreate";
    /** Normal, controllers: {@code Deleted pod: <pod>}. */
    public static final String SUCCESSFUL_DELETE = "SuccessfulDelete";
    /** Warning: a Job reached its {@code backoffLimit}. */
    public static final String BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded";
}
