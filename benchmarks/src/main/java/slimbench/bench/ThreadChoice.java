package slimbench.bench;

import slimbench.stats.Percentiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import slimbench.engine.Inference;
import slimbench.model.CellSpec;
import slimbench.model.RecordCodec;

/**
 * A steady cell's intra-op threads, measured within its budget rather than taken as given: on a
 * model of small kernels TensorFlow can run slower on two threads than on one (handing each op to
 * the pool costs more than the second core gains), and a deployment would pick the faster count.
 * So the cell times {@link #RUNS} warm inferences (or {@link #RUN_TIME} of them) at 1, 2, 4, ...
 * threads up to the budget, keeps the fastest (a larger count only when at least {@link #MARGIN}
 * faster: a thread it does not need is a core taken from the rest of the device), and reports the
 * count it ran on ({@code threads_used}).
 *
 * <p>The counts are timed in {@link #ROUNDS} interleaved rounds (1, 2, 1, 2), each count's fastest
 * median kept: a virtual machine's speed moves by itself ({@code probe.CoreSpeed}), and one probe
 * per count could catch a slow spell for one count and a fast one for another. Each count is timed
 * in a process of its own ({@link #main}), as JMH's forks are: two TensorFlow sessions in one
 * process interfere. A budget of 0 (the engine's choice) or 1 is run as given, and
 * {@value slimbench.engine.ThreadSettings#EXACT}{@code =1} in the environment runs every cell at exactly its budget, for a sweep
 * of raw scaling. The measurements behind each choice: docs/performance.md.
 */
public final class ThreadChoice {
    /** The argument that names the count a probe process times. */
    public static final String PROBE_THREADS = "probeThreads";
    static final int WARMUP_RUNS = 5;
    static final int RUNS = 15;
    /** A slow model's probe stops sooner: its warm-up after this long (one inference at least)... */
    static final java.time.Duration WARMUP_TIME = java.time.Duration.ofSeconds(1);
    /** ...and its timed inferences after this long, with at least {@link #MIN_RUNS}. */
    static final java.time.Duration RUN_TIME = java.time.Duration.ofSeconds(2);
    static final int MIN_RUNS = 3;
    /** Probes per count, interleaved across counts. */
    public static final int ROUNDS = 2;
    /** How much faster a larger count must be to be chosen: past the medians' run-to-run noise. */
    static final double MARGIN = 0.05;
    /** The rule that decided, in words, as results record it beside the probes. */
    public static final String RULE = "each count timed in " + ROUNDS + " interleaved rounds of " + RUNS
            + " inferences (or " + RUN_TIME.toSeconds() + " s of them, at least " + MIN_RUNS
            + ") in a JVM of its own, judged by its fastest median; a larger count kept only when "
            + Math.round(MARGIN * 100) + "% faster";

    /** Times the model at a count, in ms: a probe process's median. */
    public interface Probe {
        double medianMs(int threads) throws IOException;
    }

    /** The count chosen and each count's median in ms as measured (empty when nothing was timed). */
    public record Choice(int threads, Map<Integer, Double> medianMs) {
        /** One line for the cell's log, each count's fastest median: {@code threads 1 chosen of 1: 10.55 ms, 2: 14.37 ms}. */
        public String describe() {
            StringBuilder b = new StringBuilder("threads " + threads + (medianMs.isEmpty() ? " as given" : " chosen"));
            String sep = " of ";
            for (Map.Entry<Integer, Double> e : medianMs.entrySet()) {
                b.append(sep).append(e.getKey()).append(": ").append(String.format(Locale.ROOT, "%.2f ms", e.getValue()));
                sep = ", ";
            }
            return b.toString();
        }
    }

    private ThreadChoice() {}

    /** The counts tried for a budget: 1, 2, 4, ... below it, then the budget. */
    public static List<Integer> candidates(int budget) {
        List<Integer> out = new ArrayList<>();
        for (int t = 1; t < budget; t *= 2) {
            out.add(t);
        }
        out.add(budget);
        return out;
    }

    /** Whether a budget is measured within: not 0 (the engine's choice), not 1, not with {@value slimbench.engine.ThreadSettings#EXACT}=1. */
    public static boolean chooses(int budget) {
        return budget > 1 && !"1".equals(System.getenv(slimbench.engine.ThreadSettings.EXACT));
    }

    /**
     * Times each candidate count through {@code probe}, {@link #ROUNDS} times in interleaved rounds,
     * and keeps the fastest count by its fastest median, larger counts only past {@link #MARGIN}.
     */
    public static Choice choose(int budget, Probe probe) throws IOException {
        Map<Integer, Double> medians = new LinkedHashMap<>();
        if (!chooses(budget)) {
            return new Choice(budget, medians);
        }
        for (int round = 0; round < ROUNDS; round++) {
            for (int t : candidates(budget)) {
                medians.merge(t, probe.medianMs(t), Math::min);
            }
        }
        int best = 0;
        for (Map.Entry<Integer, Double> e : medians.entrySet()) {
            if (best == 0 || e.getValue() < (1 - MARGIN) * medians.get(best)) {
                best = e.getKey();
            }
        }
        return new Choice(best, medians);
    }

    /**
     * What a probe process answers, through the codec into the file its caller names ({@value
     * #ANSWER}): the median in ms, or why the cell cannot run here, or the error it failed with
     * (then the median is NaN).
     */
    public record Answer(double medianMs, String unsupported, String error) {}

    /** The argument that names the file a probe process writes its {@link Answer} to. */
    public static final String ANSWER = "answer";

    /**
     * A probe process: {@code name=value...} of a {@link CellSpec}, {@code cache}, {@code inputName},
     * {@code outputName}, {@value #PROBE_THREADS} and {@value #ANSWER}; loads the model at that count
     * and answers the median of its warm inferences ({@link #RUNS}, fewer for a slow model), or why the
     * cell cannot run or failed.
     */
    public static void main(String[] argv) throws IOException {
        Map<String, String> a = RecordCodec.parseArguments(List.of(argv));
        CellSpec spec = RecordCodec.decode(CellSpec.class, a);
        ModelState cell = ModelState.of(spec, a.get("cache"), a.get("inputName"), a.get("outputName"));
        Answer answer;
        try {
            Path file = cell.prepare();
            try (Inference m = cell.load(file, Integer.parseInt(a.get(PROBE_THREADS)), phase -> { })) {
                answer = new Answer(medianMs(m), "", "");
            }
        } catch (UnsupportedOperationException e) {
            answer = new Answer(Double.NaN, String.valueOf(e.getMessage()), "");
        } catch (IOException | RuntimeException e) {
            e.printStackTrace(); // into the cell's log, which this process writes to
            answer = new Answer(Double.NaN, "", e.toString());
        }
        RecordCodec.write(Path.of(a.get(ANSWER)), answer);
    }

    static double medianMs(Inference m) {
        long warmEnd = System.nanoTime() + WARMUP_TIME.toNanos();
        for (int i = 0; i < WARMUP_RUNS && (i == 0 || System.nanoTime() < warmEnd); i++) {
            m.inferDiscarding();
        }
        long[] nanos = new long[RUNS];
        long end = System.nanoTime() + RUN_TIME.toNanos();
        int n = 0;
        while (n < RUNS && (n < MIN_RUNS || System.nanoTime() < end)) {
            long start = System.nanoTime();
            m.inferDiscarding();
            nanos[n++] = System.nanoTime() - start;
        }
        return Percentiles.median(java.util.Arrays.copyOf(nanos, n)) / 1e6;
    }

    /** The inferences one probe runs, warm-up included, when one inference takes {@code one}. */
    public static int inferences(java.time.Duration one) {
        long nanos = Math.max(1, one.toNanos());
        long warm = Math.min(WARMUP_RUNS, Math.max(1, -Math.floorDiv(-WARMUP_TIME.toNanos(), nanos)));
        long timed = Math.min(RUNS, Math.max(MIN_RUNS, -Math.floorDiv(-RUN_TIME.toNanos(), nanos)));
        return (int) (warm + timed);
    }
}
