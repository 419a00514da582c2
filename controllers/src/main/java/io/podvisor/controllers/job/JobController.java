package io.podvisor.controllers.job;

import io.fabric8.kubernetes.api.model.EventSourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.podvisor.api.LabelSelectors;
import io.podvisor.api.Times;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.events.EventRecorder;
import io.podvisor.api.events.EventSink;
import io.podvisor.api.events.EventTypes;
import io.podvisor.api.events.Reasons;
import io.podvisor.controllers.NameSuffix;
import io.podvisor.controllers.ObjectKeys;
import io.podvisor.controllers.Owners;
import io.podvisor.controllers.Pods;
import io.podvisor.controllers.WorkQueue;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The Job controller. Watches Jobs and pods (handlers only enqueue the Job's key) and runs
 * {@link #sync(String)} per Job on the executor; one sync is one {@link JobSync}. Finished Jobs
 * only have leftover tracking finalizers removed and their {@code ttlSecondsAfterFinished}
 * enforced (the Job is deleted with foreground propagation, as upstream's TTL-after-finished
 * controller deletes it: the garbage collector deletes its pods, then lets the Job go). When a Job is gone, its pods' tracking finalizers are removed. Events come from the {@code job-controller} source.
 *
 * <p>Thread-safety: syncs of one Job never overlap (one executor key per Job); state shared across
 * Jobs is in concurrent maps.
 */
public final class JobController {

    /** The event source component. */
    public static final String COMPONENT = "job-controller";

    final ObjectClient client;
    final Clock clock;
    final JobControllerConfig config;
    final Map<String, FailureBackoff.Record> backoffs = new ConcurrentHashMap<>();
    final WorkQueue queue;
    private final EventRecorder events;
    private final JobPodFactory podFactory;
    private final List<ObjectClient.Subscription> watches = new ArrayList<>();

    public JobController(ObjectClient client, Clock clock, KeyedExecutor executor, EventSink sink, RandomGenerator random) {
        this(JobControllerConfig.DEFAULTS, client, clock, executor, sink, random);
    }

    public JobController(JobControllerConfig config, ObjectClient client, Clock clock, KeyedExecutor executor,
            EventSink sink, RandomGenerator random) {
        this.config = config;
        this.client = client;
        this.clock = clock;
        this.events = new EventRecorder(clock, sink, new EventSourceBuilder().withComponent(COMPONENT).build());
        this.podFactory = new JobPodFactory(new NameSuffix(random));
        this.queue = new WorkQueue("job", executor, clock, this::sync);
    }

    /** Starts the watches; existing Jobs are queued. */
    public void start() {
        watches.add(client.watch(Job.class, null, (type, job) -> queue.add(ObjectKeys.of(job))));
        watches.add(client.watch(Pod.class, null, (type, pod) -> Owners.controllerOf(pod)
                .filter(r -> "Job".equals(r.getKind()))
                .ifPresent(r -> queue.add(ObjectKeys.of(pod.getMetadata().getNamespace(), r.getName())))));
    }

    /** Stops the watches and timers. */
    public void stop() {
        watches.forEach(ObjectClient.Subscription::close);
        watches.clear();
        queue.stop();
    }

    /** One synchronous step for the Job with {@code key} ({@code namespace/name}). */
    public void sync(String key) {
        Job job = client.get(Job.class, ObjectKeys.namespace(key), ObjectKeys.name(key));
        if (job == null) {
            backoffs.remove(key);
            releaseOrphans(ObjectKeys.namespace(key), ObjectKeys.name(key));
            return;
        }
        List<Pod> pods = podsOf(job);
        if (JobConditions.isFinished(job)) {
            finished(key, job, pods);
            return;
        }
        new JobSync(this, key, job, pods).run();
    }

    /** The pods the Job controls (by selector, then by controller owner reference). */
    List<Pod> podsOf(Job job) {
        String selector = job.getSpec().getSelector() == null ? JobPodFactory.defaultSelector(job)
                : selectorOf(job);
        return client.list(Pod.class, job.getMetadata().getNamespace(), selector, null).stream()
                .filter(p -> Owners.isControlledBy(p, job.getMetadata().getUid())).toList();
    }

    private static String selectorOf(Job job) {
        String text = LabelSelectors.format(job.getSpec().getSelector());
        if (text == null) {
            throw new IllegalArgumentException("job " + job.getMetadata().getName() + " has a selector with an unknown operator");
        }
        return text;
    }

    /**
     * Removes the tracking finalizer from pods whose Job (by name) no longer exists: pods still
     * naming it as controller, and pods left without any controller (an orphaning delete strips
     * the owner reference before the Job goes).
     */
    private void releaseOrphans(String namespace, String jobName) {
        for (Pod p : client.list(Pod.class, namespace, JobPodFactory.LABEL_JOB_NAME + "=" + jobName, null)) {
            boolean orphan = Owners.controllerOf(p)
                    .map(r -> "Job".equals(r.getKind()) && jobName.equals(r.getName()))
                    .orElse(true);
            if (orphan && Pods.hasFinalizer(p, JobPodFactory.TRACKING_FINALIZER)) {
                removeFinalizer(p);
            }
        }
    }

    private void finished(String key, Job job, List<Pod> pods) {
        backoffs.remove(key);
        for (Pod p : pods) {
            if (Pods.hasFinalizer(p, JobPodFactory.TRACKING_FINALIZER)) {
                removeFinalizer(p);
            }
        }
        Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
        JobCondition done = JobConditions.finishedCondition(job);
        Instant finishedAt = done == null ? null : Times.parse(done.getLastTransitionTime());
        if (ttl == null || finishedAt == null) {
            return;
        }
        Duration left = Duration.between(clock.now(), finishedAt.plusSeconds(ttl));
        if (left.isPositive()) {
            queue.addAfter(key, left);
            return;
        }
        try {
            // as upstream's TTL-after-finished controller: the Job goes once its pods are gone
            client.delete(Job.class, job.getMetadata().getNamespace(), job.getMetadata().getName(), null, "Foreground");
        } catch (ApiException.NotFound gone) {
            // already deleted
        }
    }

    /** Creates one pod for {@code job} (a new random name on a name clash) and records the event. */
    Pod createPod(Job job) {
        for (int attempt = 0; ; attempt++) {
            try {
                Pod created = client.create(podFactory.newPod(job));
                event(job, EventTypes.NORMAL, Reasons.SUCCESSFUL_CREATE, "Created pod: " + created.getMetadata().getName());
                return created;
            } catch (ApiException.AlreadyExists clash) {
                if (attempt >= 2) {
                    throw clash;
                }
            }
        }
    }

    /**
     * Deletes a pod of {@code job} and records {@code SuccessfulDelete}; with {@code dropFinalizer}
     * the tracking finalizer is removed first (the pod is then not counted).
     *
     * @return whether the pod was deleted (or already gone)
     */
    boolean deletePod(Job job, Pod pod, boolean dropFinalizer) {
        if (dropFinalizer && Pods.hasFinalizer(pod, JobPodFactory.TRACKING_FINALIZER) && !removeFinalizer(pod)) {
            return false;
        }
        try {
            client.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), null);
        } catch (ApiException.NotFound gone) {
            return true;
        }
        event(job, EventTypes.NORMAL, Reasons.SUCCESSFUL_DELETE, "Deleted pod: " + pod.getMetadata().getName());
        return true;
    }

    /**
     * Removes the tracking finalizer from the current version of {@code pod}.
     *
     * @return true when removed or the pod is gone
     */
    boolean removeFinalizer(Pod pod) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Pod current = client.get(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            if (current == null || !current.getMetadata().getUid().equals(pod.getMetadata().getUid())
                    || !Pods.hasFinalizer(current, JobPodFactory.TRACKING_FINALIZER)) {
                return true;
            }
            List<String> finalizers = new ArrayList<>(current.getMetadata().getFinalizers());
            finalizers.remove(JobPodFactory.TRACKING_FINALIZER);
            current.getMetadata().setFinalizers(finalizers);
            try {
                client.update(current);
                return true;
            } catch (ApiException.NotFound gone) {
                return true;
            } catch (ApiException.Conflict stale) {
                // read again
            }
        }
        return false;
    }

    void event(Job job, String type, String reason, String message) {
        events.record(Owners.reference(job), type, reason, message);
    }
}
