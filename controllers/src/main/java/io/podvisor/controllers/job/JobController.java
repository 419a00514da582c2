package io.podvisor.controllers.job;

import io.fabric8.kubernetes.api.model.EventSourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.podvisor.api.LabelSelectors;
import io.podvisor.api.Times;
import io.podvisor.api.Yaml;
import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.errors.ApiException;
import io.podvisor.api.events.EventRecorder;
import io.podvisor.api.events.EventSink;
import io.podvisor.api.events.EventTypes;
import io.podvisor.api.events.Reasons;
import io.podvisor.client.informers.Indexers;
import io.podvisor.client.informers.SharedIndexInformer;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.controllers.CacheGate;
import io.podvisor.controllers.Expectations;
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
 * The Job controller. Reads Jobs and pods from the shared informers' caches (their handlers only
 * enqueue the Job's key) and runs {@link #sync(String)} per Job on the executor; one sync is one
 * {@link JobSync}; writes go through the API. Finished Jobs only have leftover tracking finalizers
 * removed and their {@code ttlSecondsAfterFinished} enforced (the Job is deleted with foreground
 * propagation, as upstream's TTL-after-finished controller deletes it: the garbage collector deletes
 * its pods, then lets the Job go). When a Job is gone, its pods' tracking finalizers are removed.
 * Events come from the {@code job-controller} source.
 *
 * <p>Nothing is synced before the handlers saw the first lists, nor while the caches have not yet
 * shown this controller's own writes for that Job ({@link Expectations}: pods created, deleted or
 * released, status written). Cached objects are copied before they are changed.
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
    final Expectations expectations;
    private final EventRecorder events;
    private final JobPodFactory podFactory;
    private final SharedIndexInformer<Job> jobInformer;
    private final SharedIndexInformer<Pod> podInformer;
    private final List<SharedIndexInformer.Registration> registrations = new ArrayList<>();
    private final CacheGate gate;

    /** A Job controller reading from {@code informers} (their owner starts them) and writing through {@code client}. */
    public JobController(ObjectClient client, SharedInformerFactory informers, Clock clock, KeyedExecutor executor,
            EventSink sink, RandomGenerator random) {
        this(JobControllerConfig.DEFAULTS, client, informers, clock, executor, sink, random);
    }

    public JobController(JobControllerConfig config, ObjectClient client, SharedInformerFactory informers, Clock clock,
            KeyedExecutor executor, EventSink sink, RandomGenerator random) {
        this.config = config;
        this.client = client;
        this.clock = clock;
        this.events = new EventRecorder(clock, sink, new EventSourceBuilder().withComponent(COMPONENT).build());
        this.podFactory = new JobPodFactory(new NameSuffix(random));
        this.queue = new WorkQueue("job", executor, clock, this::sync);
        this.expectations = new Expectations(clock);
        this.gate = new CacheGate(queue, expectations);
        this.jobInformer = informers.informerFor(Job.class);
        this.podInformer = informers.informerFor(Pod.class);
        podInformer.addIndexerIfAbsent(Indexers.OWNER_UID, Indexers::ownerUids);
    }

    /** Adds the informer handlers; every cached Job is queued once the informers run. */
    public void start() {
        registrations.add(jobInformer.addEventHandler(CacheGate.changes(this::onJob)));
        registrations.add(podInformer.addEventHandler(CacheGate.changes(this::onPod)));
        gate.awaitFirstLists(registrations);
    }

    /** Removes the handlers and stops the timers. */
    public void stop() {
        registrations.forEach(SharedIndexInformer.Registration::close);
        registrations.clear();
        queue.stop();
    }

    private void onJob(Job job, boolean gone) {
        expectations.observe(job, gone);
        queue.add(ObjectKeys.of(job));
    }

    private void onPod(Pod pod, boolean gone) {
        String owner = expectations.observe(pod, gone);
        if (owner != null) {
            queue.add(owner);
        }
        Owners.controllerOf(pod).filter(r -> "Job".equals(r.getKind()))
                .ifPresent(r -> queue.add(ObjectKeys.of(pod.getMetadata().getNamespace(), r.getName())));
    }

    /** One synchronous step for the Job with {@code key} ({@code namespace/name}), once the caches are synced. */
    public void sync(String key) {
        if (!gate.open(key)) {
            return;
        }
        Job cached = jobInformer.lister().getByKey(key);
        if (cached == null) {
            backoffs.remove(key);
            releaseOrphans(key, ObjectKeys.namespace(key), ObjectKeys.name(key));
            return;
        }
        Job job = Yaml.copy(cached);
        List<Pod> pods = podsOf(job);
        if (JobConditions.isFinished(job)) {
            finished(key, job, pods);
            return;
        }
        new JobSync(this, key, job, pods).run();
    }

    /**
     * The pods the Job controls and its selector matches, from the cache (shared, read-only
     * instances), in name order.
     */
    List<Pod> podsOf(Job job) {
        String uid = job.getMetadata().getUid();
        String ns = job.getMetadata().getNamespace();
        return podInformer.lister().byIndex(Indexers.OWNER_UID, uid).stream()
                .filter(p -> ns.equals(p.getMetadata().getNamespace()) && Owners.isControlledBy(p, uid))
                .filter(p -> selects(job, p)).toList();
    }

    private static boolean selects(Job job, Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (job.getSpec().getSelector() == null) {
            return labels != null && job.getMetadata().getUid().equals(labels.get(JobPodFactory.LABEL_CONTROLLER_UID));
        }
        try {
            return LabelSelectors.matches(job.getSpec().getSelector(), labels);
        } catch (IllegalArgumentException unknownOperator) {
            throw new IllegalArgumentException("job " + job.getMetadata().getName()
                    + " has a selector with an unknown operator", unknownOperator);
        }
    }

    /**
     * Removes the tracking finalizer from pods whose Job (by name) no longer exists: pods still
     * naming it as controller, and pods left without any controller (an orphaning delete strips
     * the owner reference before the Job goes).
     */
    private void releaseOrphans(String key, String namespace, String jobName) {
        for (Pod p : podInformer.lister().list(namespace)) {
            Map<String, String> labels = p.getMetadata().getLabels();
            if (labels == null || !jobName.equals(labels.get(JobPodFactory.LABEL_JOB_NAME))) {
                continue;
            }
            boolean orphan = Owners.controllerOf(p)
                    .map(r -> "Job".equals(r.getKind()) && jobName.equals(r.getName()))
                    .orElse(true);
            if (orphan && Pods.hasFinalizer(p, JobPodFactory.TRACKING_FINALIZER)) {
                removeFinalizer(key, p);
            }
        }
    }

    private void finished(String key, Job job, List<Pod> pods) {
        backoffs.remove(key);
        for (Pod p : pods) {
            if (Pods.hasFinalizer(p, JobPodFactory.TRACKING_FINALIZER)) {
                removeFinalizer(key, p);
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
        deleteJob(job);
    }

    /** Creates one pod for {@code job} (a new random name on a name clash) and records the event. */
    Pod createPod(Job job) {
        for (int attempt = 0; ; attempt++) {
            try {
                Pod created = client.create(podFactory.newPod(job));
                expectations.expectVersion(ObjectKeys.of(job), created, podInformer.lister());
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
        String key = ObjectKeys.of(job);
        if (dropFinalizer && Pods.hasFinalizer(pod, JobPodFactory.TRACKING_FINALIZER) && !removeFinalizer(key, pod)) {
            return false;
        }
        try {
            client.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), null);
        } catch (ApiException.NotFound gone) {
            return true;
        }
        expectations.expectDeletion(key, pod, podInformer.lister());
        event(job, EventTypes.NORMAL, Reasons.SUCCESSFUL_DELETE, "Deleted pod: " + pod.getMetadata().getName());
        return true;
    }

    /**
     * Removes the tracking finalizer from {@code pod} (a cached instance: written from a copy, and
     * on a conflict from the API's current version), for the Job with queue key {@code key}.
     *
     * @return true when removed or the pod is gone
     */
    boolean removeFinalizer(String key, Pod pod) {
        Pod current = Yaml.copy(pod);
        for (int attempt = 0; attempt < 3; attempt++) {
            if (attempt > 0) {
                current = client.get(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName());
            }
            if (current == null || !current.getMetadata().getUid().equals(pod.getMetadata().getUid())
                    || !Pods.hasFinalizer(current, JobPodFactory.TRACKING_FINALIZER)) {
                return true;
            }
            List<String> finalizers = new ArrayList<>(current.getMetadata().getFinalizers());
            finalizers.remove(JobPodFactory.TRACKING_FINALIZER);
            current.getMetadata().setFinalizers(finalizers);
            try {
                Pod written = client.update(current);
                expectations.expectVersion(key, written, podInformer.lister());
                return true;
            } catch (ApiException.NotFound gone) {
                return true;
            } catch (ApiException.Conflict stale) {
                // read the API's current version
            }
        }
        return false;
    }

    /** Writes the status of {@code job} (a copy the caller owns) and waits for the cache to show it before the next sync. */
    Job updateStatus(Job job) {
        Job written = client.updateStatus(job);
        expectations.expectVersion(ObjectKeys.of(job), written, jobInformer.lister());
        return written;
    }

    /** Deletes {@code job} in the foreground, as upstream's TTL-after-finished controller: the Job goes once its pods are gone. */
    private void deleteJob(Job job) {
        try {
            client.delete(Job.class, job.getMetadata().getNamespace(), job.getMetadata().getName(), null, "Foreground");
        } catch (ApiException.NotFound gone) {
            // already deleted
        }
    }

    void event(Job job, String type, String reason, String message) {
        events.record(Owners.reference(job), type, reason, message);
    }
}
