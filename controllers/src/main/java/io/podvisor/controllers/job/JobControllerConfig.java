package io.podvisor.controllers.job;

import java.time.Duration;

/**
 * Tuning of the {@link JobController}.
 *
 * @param podFailureBackOff     the first delay before replacing a failed pod (upstream: 10 s)
 * @param maxPodFailureBackOff  the cap of that delay (upstream 1.33: 10 min)
 * @param maxPodCreatesPerSync  how many pods one sync creates at most (upstream: 500)
 */
public record JobControllerConfig(Duration podFailureBackOff, Duration maxPodFailureBackOff, int maxPodCreatesPerSync) {

    /** 10 s doubling to 10 min, 500 creates per sync. */
    public static final JobControllerConfig DEFAULTS =
            new JobControllerConfig(Duration.ofSeconds(10), Duration.ofMinutes(10), 500);
}
