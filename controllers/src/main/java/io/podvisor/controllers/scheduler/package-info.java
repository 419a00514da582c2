/**
 * A single-node scheduler: effective pod requests ({@link io.podvisor.controllers.scheduler.PodRequests}),
 * the filters upstream's default profile applies first (node unschedulable, taints with
 * NoSchedule/NoExecute, nodeSelector and required node affinity, resources fit) in
 * {@link io.podvisor.controllers.scheduler.NodeFit}, upstream's FailedScheduling message, and the
 * {@link io.podvisor.controllers.scheduler.Scheduler} loop that binds or reports and retries.
 */
package io.podvisor.controllers.scheduler;
