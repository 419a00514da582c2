package io.podvisor.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one run as a table: what was measured, podvisor's figure, the baseline's figure
 * from the same run, their ratio, the target and whether it is met.
 */
public final class Report {

    private record Row(String metric, String podvisor, String baseline, String ratio, String target, String met) {}

    private final String title;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Report(String title) {
        this.title = title;
    }

    /**
     * A row comparing podvisor's {@code value} with the {@code baseline}'s (both in {@code unit},
     * lower is better) against {@code target}, a description of the goal, and whether it is met.
     */
    public Report row(String metric, double value, double baseline, String unit, String target, Boolean met) {
        String ratio = Double.isNaN(baseline) || baseline == 0 ? "" : ratio(value / baseline);
        rows.add(new Row(metric, Stats.fmt(value) + " " + unit, Double.isNaN(baseline) ? "" : Stats.fmt(baseline) + " " + unit,
                ratio, target, met == null ? "" : met ? "yes" : "NO"));
        return this;
    }

    /** {@code 1.23x}, or {@code 1/4567x} when podvisor's figure is a small fraction of the baseline's. */
    private static String ratio(double r) {
        return r > 0 && r < 0.01 ? String.format(Locale.ROOT, "1/%.0fx", 1 / r) : String.format(Locale.ROOT, "%.2fx", r);
    }

    /**
     * A row for a rate, where higher is better (creates per second): the ratio is podvisor's figure
     * over the baseline's, so below 1 means podvisor reaches that fraction of the baseline.
     */
    public Report rate(String metric, double value, double baseline, String unit, String target, Boolean met) {
        double r = value / baseline;
        String ratio = Double.isNaN(baseline) || baseline == 0 ? ""
                : String.format(Locale.ROOT, r < 0.1 ? "%.4fx of baseline" : "%.2fx of baseline", r);
        rows.add(new Row(metric + " (higher is better)", Stats.fmt(value) + " " + unit,
                Double.isNaN(baseline) ? "" : Stats.fmt(baseline) + " " + unit, ratio, target,
                met == null ? "" : met ? "yes" : "NO"));
        return this;
    }

    /** A row of text cells (when a figure is not a single number). */
    public Report text(String metric, String podvisor, String baseline, String target, Boolean met) {
        rows.add(new Row(metric, podvisor, baseline, "", target, met == null ? "" : met ? "yes" : "NO"));
        return this;
    }

    public Report note(String line) {
        notes.add(line);
        return this;
    }

    public void print(PrintStream out) {
        List<Row> all = new ArrayList<>();
        all.add(new Row("METRIC", "PODVISOR", "BASELINE", "RATIO", "TARGET", "MET"));
        all.addAll(rows);
        int[] w = new int[6];
        for (Row r : all) {
            String[] c = cells(r);
            for (int i = 0; i < 6; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        out.println("== " + title);
        for (Row r : all) {
            String[] c = cells(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                line.append(String.format(Locale.ROOT, "%-" + (w[i] + 2) + "s", c[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        notes.forEach(n -> out.println("  " + n));
        out.flush();
    }

    private static String[] cells(Row r) {
        return new String[] {r.metric(), r.podvisor(), r.baseline(), r.ratio(), r.target(), r.met()};
    }
}
