package slimbench.bench;

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
 * A steady cell's intra-op threads, measured within its budget rather than taken as given. On the
 * 2-vCPU development VM TensorFlow ran mobilenet_v2 slower on 2 intra-op threads than on 1 (median
 * 15.9 against 11.6 ms untraced, {@code profile --threads 2} and {@code --threads 1}): its small depthwise and
 * 1x1 kernels gain less from a second core than each op's hand-off to the pool costs, while
 * resnet_v1_50 ran 1.7 times faster on 2. No inter-op count (1, 2, 0, -1), oneDNN on the calling
 * thread, nor Eigen's kernels instead of oneDNN's changed that. A deployment picks the faster count,
 * so the cell does: {@link #RUNS} warm inferences at 1, 2, 4, ... threads up to the budget, the
 * fastest kept (a larger count only when at least {@link #MARGIN} faster: a thread it does not need
 * is a core taken from the rest of the device), and the count it ran on reported ({@code threads_used}).
 *
 * <p>The counts are timed in {@link #ROUNDS} interleaved rounds (1, 2, 1, 2), each count's fastest
 * median kept. A virtual machine's speed moves by itself ({@code probe.CoreSpeed}: two speeds a fifth
 * apart, each lasting a tenth of a second to seconds), so one probe per count can catch the slow spell for
 * one count and the fast for another: in one cell ONNX Runtime's probes measured mobilenet_v2 at 4.48
 * ms on 1 thread and 4.50 ms on 2, where {@code profile} minutes earlier had measured 4.19 and 2.40.
 *
 * <p>Each count is timed in a process of its own ({@link #main}), as JMH's forks are: two
 * TensorFlow sessions in one process interfere (resnet_v1_50, one process: 2 threads 56.8 ms alone,
 * 72.3 ms after a first 2-thread session; 1 then 2 threads 80.6 and 82.5 ms). A budget of 0 (the
 * engine's choice) or 1 is run as given, and {@value #EXACT}{@code =1} in the environment runs every
 * cell at exactly its budget, for a sweep of raw scaling.
 */
public final class ThreadChoice {
    public static final String EXACT = "SLIMBENCH_EXACT_THREADS";
    /** The argument that names the count a probe process times. */
    public static final String PROBE_THREADS = "probeThreads";
    static final int WARMUP_RUNS = 5;
    static final int RUNS = 15;
    /** Probes per count, interleaved across counts. */
    public static final int ROUNDS = 2;
    /** How much faster a larger count must be to be chosen: past the medians' run-to-run noise. */
    static final double MARGIN = 0.05;
    /** The rule that decided, in words, as results record it beside the probes. */
    public static final String RULE = "each count timed in " + ROUNDS + " interleaved rounds of " + RUNS
            + " inferences in a JVM of its own, judged by its fastest median; a larger count kept only when "
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

    /** Whether a budget is measured within: not 0 (the engine's choice), not 1, not with {@value #EXACT}=1. */
    public static boolean chooses(int budget) {
        return budget > 1 && !"1".equals(System.getenv(EXACT));
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
     * #ANSWER}): the median in ms, or why the cell cannot run here (then the median is NaN).
     */
    public record Answer(double medianMs, String unsupported) {}

    /** The argument that names the file a probe process writes its {@link Answer} to. */
    public static final String ANSWER = "answer";

    /**
     * A probe process: {@code name=value...} of a {@link CellSpec}, {@code cache}, {@code inputName},
     * {@code outputName}, {@value #PROBE_THREADS} and {@value #ANSWER}; loads the model at that count
     * and answers the median of {@link #RUNS} warm inferences, or why the cell cannot run.
     */
    public static void main(String[] argv) throws IOException {
        Map<String, String> a = RecordCodec.parseArguments(List.of(argv));
        CellSpec spec = RecordCodec.decode(CellSpec.class, a);
        ModelState cell = ModelState.of(spec, a.get("cache"), a.get("inputName"), a.get("outputName"));
        Answer answer;
        try {
            Path file = cell.prepare();
            try (Inference m = cell.load(file, Integer.parseInt(a.get(PROBE_THREADS)), phase -> { })) {
                answer = new Answer(medianMs(m), "");
            }
        } catch (UnsupportedOperationException e) {
            answer = new Answer(Double.NaN, String.valueOf(e.getMessage()));
        }
        RecordCodec.write(Path.of(a.get(ANSWER)), answer);
    }

    static double medianMs(Inference m) {
        for (int i = 0; i < WARMUP_RUNS; i++) {
            m.inferDiscarding();
        }
        long[] nanos = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            m.inferDiscarding();
            nanos[i] = System.nanoTime() - start;
        }
        return Percentiles.median(nanos) / 1e6;
    }
}
