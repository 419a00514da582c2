package io.podvisor.api.events;

import java.time.Duration;

/**
 * Tuning of an {@link EventRecorder}'s correlation (spec 11.4–11.5). {@link #DEFAULTS} is what the
 * spec prescribes; tests may shrink the numbers.
 *
 * @param cacheEntries          bound of each internal LRU cache (dedupe, similar, spam); at least 1
 * @param distinctBeforeCombining how many distinct messages of one similar group are emitted as
 *                              themselves within the window; the next distinct one is combined
 *                              (spec: 10, so the 11th is combined; client-go combines the 10th,
 *                              which is 9 here)
 * @param similarWindow         a similar group starts afresh once this much time passed (strictly more)
 *                              since its last occurrence
 * @param similarByFieldPath    whether {@code involvedObject.fieldPath} separates similar groups
 *                              (spec: yes; client-go's key leaves it out)
 * @param spamBurst             token bucket size per involved object
 * @param spamRefillPeriod      time to earn one token back
 */
public record EventRecorderConfig(
        int cacheEntries,
        int distinctBeforeCombining,
        Duration similarWindow,
        boolean similarByFieldPath,
        int spamBurst,
        Duration spamRefillPeriod) {

    /** 4096 entries, 10 distinct then combined, 600 s window, 25 burst, one token per 300 s. */
    public static final EventRecorderConfig DEFAULTS = new EventRecorderConfig(
            4096, 10, Duration.ofSeconds(600), true, 25, Duration.ofSeconds(300));

    /** Validates the values. */
    public EventRecorderConfig {
        if (cacheEntries < 1 || distinctBeforeCombining < 0 || spamBurst < 1) {
            throw new IllegalArgumentException("cacheEntries and spamBurst must be >= 1, "
                    + "distinctBeforeCombining >= 0");
        }
        if (similarWindow == null || similarWindow.isNegative()
                || spamRefillPeriod == null || !spamRefillPeriod.isPositive()) {
            throw new IllegalArgumentException("similarWindow must be >= 0 and spamRefillPeriod > 0");
        }
    }

    /** A copy with a different cache bound. */
    public EventRecorderConfig withCacheEntries(int entries) {
        return new EventRecorderConfig(entries, distinctBeforeCombining, similarWindow,
                similarByFieldPath, spamBurst, spamRefillPeriod);
    }
}
