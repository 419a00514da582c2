package io.podvisor.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Samples (milliseconds or any unit) and their order statistics: medians and percentiles, since these machines are noisy. */
public final class Stats {

    private final List<Double> samples = new ArrayList<>();

    public synchronized void add(double sample) {
        samples.add(sample);
    }

    public synchronized int count() {
        return samples.size();
    }

    /** The {@code p}-th percentile (0–100), nearest rank. */
    public synchronized double percentile(double p) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public double median() {
        return percentile(50);
    }

    public double min() {
        return percentile(0);
    }

    public double max() {
        return percentile(100);
    }

    /** {@code median 812 ms (min 790, max 901, n=10)}. */
    public String summary(String unit) {
        return String.format(Locale.ROOT, "median %s %s (min %s, max %s, n=%d)",
                fmt(median()), unit, fmt(min()), fmt(max()), count());
    }

    /** Three significant digits below 1, one decimal below 100, none above. */
    public static String fmt(double v) {
        if (v != 0 && Math.abs(v) < 1) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return Math.abs(v) < 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.0f", v);
    }
}
