package io.podvisor.controllers;

import io.podvisor.api.client.ObjectClient;
import io.podvisor.api.events.EventSink;
import io.podvisor.client.informers.SharedInformerFactory;
import io.podvisor.controllers.endpoints.EndpointsController;
import io.podvisor.controllers.gc.GarbageCollector;
import io.podvisor.controllers.job.JobController;
import io.podvisor.controllers.scheduler.Scheduler;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The control plane's loops for one node, started and stopped together: the Job controller, the
 * Endpoints/EndpointSlice controller, the scheduler for {@code nodeName} and the garbage collector.
 * All four see objects through one {@link SharedInformerFactory} over the client, started after
 * every controller added its handlers and closed with them — their own, or one shared with the
 * kubelet, which its owner starts and closes.
 */
public final class Controllers {

    private final JobController jobs;
    private final EndpointsController endpoints;
    private final Scheduler scheduler;
    private final GarbageCollector gc;
    private final SharedInformerFactory informers;
    /** Whether {@link #informers} is this object's own (started and closed with the controllers). */
    private final boolean ownInformers;

    /** The controllers with a default random source for generated names. */
    public Controllers(ObjectClient client, Clock clock, KeyedExecutor executor, EventSink events, String nodeName) {
        this(client, clock, executor, events, nodeName, RandomGenerator.getDefault());
    }

    /** The controllers; {@code random} makes generated names (seed it in tests). */
    public Controllers(ObjectClient client, Clock clock, KeyedExecutor executor, EventSink events, String nodeName,
            RandomGenerator random) {
        this(client, new SharedInformerFactory(client, clock, executor, Duration.ZERO), true, clock, executor, events,
                nodeName, random);
    }

    /**
     * The controllers reading from {@code informers}, a factory shared with other users (the
     * kubelet) whose owner starts it once every user asked for its informers, and closes it.
     */
    public Controllers(ObjectClient client, SharedInformerFactory informers, Clock clock, KeyedExecutor executor,
            EventSink events, String nodeName, RandomGenerator random) {
        this(client, informers, false, clock, executor, events, nodeName, random);
    }

    private Controllers(ObjectClient client, SharedInformerFactory informers, boolean ownInformers, Clock clock,
            KeyedExecutor executor, EventSink events, String nodeName, RandomGenerator random) {
        this.informers = informers;
        this.jobs = new JobController(client, informers, clock, executor, events, random);
        this.endpoints = new EndpointsController(client, informers, clock, executor, random);
        this.ownInformers = ownInformers;
        this.scheduler = new Scheduler(client, informers, clock, executor, events, nodeName);
        this.gc = new GarbageCollector(client, informers, clock, executor);
    }

    /** Starts all four (the garbage collector first, the scheduler last). */
    public void start() {
        gc.start();
        jobs.start();
        endpoints.start();
        scheduler.start();
        if (ownInformers) {
            informers.start();
        }
    }

    /** Stops all four. */
    public void stop() {
        scheduler.stop();
        if (ownInformers) {
            informers.close();
        }
        endpoints.stop();
        jobs.stop();
        gc.stop();
    }

    public JobController jobs() {
        return jobs;
    }

    public EndpointsController endpoints() {
        return endpoints;
    }

    /** The informers the controllers read from. */
    public SharedInformerFactory informers() {
        return informers;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public GarbageCollector garbageCollector() {
        return gc;
    }
}
