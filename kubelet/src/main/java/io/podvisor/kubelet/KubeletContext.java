package io.podvisor.kubelet;

import io.podvisor.api.ClusterClient;
import io.podvisor.api.events.EventRecorder;
import io.podvisor.core.Backoff;
import io.podvisor.core.Clock;
import io.podvisor.core.KeyedExecutor;
import io.podvisor.kubelet.probe.ProbeManager;
import io.podvisor.runtime.ContainerRuntime;

/** The collaborators every part of one kubelet shares. */
record KubeletContext(KubeletConfig config, Clock clock, KeyedExecutor executor, ContainerRuntime runtime,
                      ClusterClient cluster, EventRecorder recorder, Backoff backoff, ReasonCache reasons,
                      ProbeManager probes, StatusManager status) {}
