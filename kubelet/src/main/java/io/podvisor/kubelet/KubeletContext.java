package io.podvisor.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.podvisor.api.ClusterClient;
import io.podvisor.api.events.EventRecorder;
import io.podvisor.core.Backoff;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import io.podvisor.kubelet.env.NodeAllocatable;
import io.podvisor.kubelet.images.ImageManager;
import io.podvisor.kubelet.probe.ProbeManager;
import io.podvisor.kubelet.volume.VolumeManager;
import io.podvisor.runtime.ContainerRuntime;

/**
 * The collaborators every part of one kubelet shares.
 *
 * @param deleteFinal called once a deleted pod finished terminating: removes it from the API (or,
 *                    for a static pod, drops it and its mirror)
 * @param volumes     the pods' volumes on this node
 * @param messages    the containers' termination messages
 * @param allocatable what the node offers to pods (the downward API's default limits)
 * @param images      the node's image manager (pull policy, pulls, pull back-off)
 */
record KubeletContext(KubeletConfig config, Clock clock, KeyedExecutor executor, ContainerRuntime runtime,
                      ClusterClient cluster, EventRecorder recorder, Backoff backoff, ReasonCache reasons,
                      ProbeManager probes, StatusManager status, java.util.function.Consumer<Pod> deleteFinal,
                      VolumeManager volumes, TerminationMessages messages, NodeAllocatable allocatable,
                      ImageManager images) {}
