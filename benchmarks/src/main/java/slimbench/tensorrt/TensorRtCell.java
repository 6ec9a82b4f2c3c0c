package slimbench.tensorrt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ResultRole;
import slimbench.bench.AccuracyGuard;
import slimbench.bench.Breakdown;
import slimbench.engine.Images;
import slimbench.bench.LatencyResult;
import slimbench.engine.Inference;
import slimbench.engine.SelfTimed.Figures;
import slimbench.engine.SelfTimed.Plan;
import slimbench.model.AtomicFile;
import slimbench.model.CellMetric;
import slimbench.model.CellSpec;
import slimbench.model.Generator;
import slimbench.model.Model;
import slimbench.model.Mode;
import slimbench.model.OnnxForm;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Variant;

/**
 * A {@code tensorrt} cell: its model's ONNX file ({@link OnnxForm#FLOAT_IMAGE}) through the machine's
 * trtexec, one trtexec process per fork, turned into the figures JMH gives the other engines'
 * cells. Cold, per fork: the engine made ready (built from the ONNX file at {@code at-load}, the
 * saved one loaded at {@code ahead}) and the first inference. Steady: every timed inference trtexec
 * exported, cut into the cell's iterations. Each run infers on image 0 ({@code --loadInputs}) and
 * its output is checked as every cell's is: a probability vector, and in steady state the accuracy
 * guard against TensorFlow's fp32 graph. trtexec's logs stay in the run's {@code logs/}.
 */
public final class TensorRtCell {
    /** trtexec's own warm-up when SlimBench asks for none: the engine is warm as SteadyState's setup makes TensorFlow's. */
    static final int TRTEXEC_WARM_UP_MS = 200;

    private TensorRtCell() {}

    /** What one trtexec run is asked to time: warm-up (ms), duration (s) and at least so many inferences. */
    record Timing(int warmUpMs, int durationS, int iterations) {
        /** One shot: the first inference is the one timed. */
        static final Timing COLD = new Timing(0, 0, 1);

        static Timing steady(int warmups, int iterations, Duration iterationTime) {
            long ms = iterationTime.toMillis();
            return new Timing(warmups > 0 ? (int) (warmups * ms) : TRTEXEC_WARM_UP_MS,
                    (int) Math.ceil(iterations * ms / 1000.0), iterations);
        }

        List<String> flags() {
            return List.of("--warmUp=" + warmUpMs, "--duration=" + durationS, "--iterations=" + iterations);
        }
    }

    /** One fork: trtexec's log, its timed inferences and the output it exported. */
    private record Fork(TrtexecOutput.Log log, List<TrtexecOutput.Inference> timed, float[] output,
                        Map<slimbench.probe.Metric, Double> memory) {}

    /**
     * Measures a cell; throws {@link UnsupportedOperationException} when it cannot run here (no
     * trtexec, another variant, a user's own file) and {@link IllegalStateException} when trtexec
     * fails or its output is wrong, each with one line saying why.
     */
    public static Figures measure(CellSpec spec, Plan plan) throws IOException {
        if (spec.model() == null) {
            throw new UnsupportedOperationException("tensorrt runs the zoo's models, not a user's own file");
        }
        if (spec.variant() != Variant.FP32 && spec.variant() != Variant.FP16) {
            throw new UnsupportedOperationException("tensorrt runs fp32 and fp16 (TensorRT's FP16 mode, the like of "
                    + "tftrt-fp16), not " + spec.variant());
        }
        Trtexec trtexec = Trtexec.lookup().require();
        Model model = spec.model();
        Path onnx = Generator.ensureOnnx(plan.cache(), model, Precision.FP32, spec.scale(), 1, OnnxForm.FLOAT_IMAGE).path();
        Path work = Files.createTempDirectory("slimbench-trtexec");
        try {
            Path image = work.resolve("input.bin");
            Files.write(image, floatImage(Images.pixels(model.inputSize(spec.scale()), 0)));
            List<String> source = spec.optimize() == Optimize.AHEAD
                    ? List.of("--loadEngine=" + EngineFile.ensure(trtexec, onnx, spec.variant(), Trtexec.gpu(),
                            plan.logs().resolve(plan.name() + ".trtexec-build.log")))
                    : List.of("--onnx=" + onnx, Trtexec.precision(spec.variant()));
            boolean cold = spec.mode() == Mode.COLD;
            Timing timing = cold ? Timing.COLD : Timing.steady(plan.warmups(), plan.iterations(), plan.iterationTime());
            List<Fork> forks = new ArrayList<>();
            for (int k = 1; k <= plan.forks(); k++) {
                forks.add(fork(trtexec, source, timing, image, work.resolve("fork" + k),
                        plan.logs().resolve(plan.name() + ".trtexec-" + k + ".log")));
            }
            if (!cold) {
                requireAccurate(spec, plan.cache(), forks);
            }
            return cold ? cold(spec.optimize(), forks) : steady(forks, plan.iterations());
        } finally {
            AtomicFile.deleteTree(work);
        }
    }

    /** One trtexec run of {@code source} ({@code --onnx} and the precision, or {@code --loadEngine}). */
    private static Fork fork(Trtexec trtexec, List<String> source, Timing timing, Path image, Path dir, Path log)
            throws IOException {
        Files.createDirectories(dir);
        Path times = dir.resolve("times.json");
        Path output = dir.resolve("output.json");
        List<String> args = new ArrayList<>(source);
        args.addAll(timing.flags());
        args.addAll(List.of("--loadInputs=" + Model.INPUT + ":" + image, "--exportTimes=" + times,
                "--exportOutput=" + output));
        System.out.println(trtexec.executable() + " " + String.join(" ", args)); // into the cell's log
        Trtexec.Ran r = trtexec.run(args, log);
        if (!r.passed()) {
            throw new IllegalStateException(failed(trtexec, r));
        }
        List<TrtexecOutput.Inference> timed = TrtexecOutput.timed(
                TrtexecOutput.times(Files.readString(times, StandardCharsets.UTF_8)), timing.warmUpMs());
        if (timed.isEmpty()) {
            throw new IllegalStateException("trtexec timed no inference (log: " + log.getFileName() + ")");
        }
        float[] out = TrtexecOutput.outputs(Files.readString(output, StandardCharsets.UTF_8)).stream()
                .filter(t -> t.name().equals(Model.OUTPUT)).findFirst()
                .orElseThrow(() -> new IllegalStateException("trtexec exported no output '" + Model.OUTPUT + "' (log: "
                        + log.getFileName() + ")")).values();
        Inference.checkProbabilities(out);
        return new Fork(r.log(), timed, out, r.memory());
    }

    /**
     * One line on a failed trtexec run: the version, a signal it died of, and the first unsupported
     * node or error; its log is the cell's, with {@code .trtexec-N.log} for {@code .log}.
     */
    static String failed(Trtexec trtexec, Trtexec.Ran r) {
        return "trtexec (TensorRT " + trtexec.version() + ") failed" + (r.exit() > 128 ? " by signal " + (r.exit() - 128) : "")
                + ": " + r.log().failure().orElse("exit " + r.exit());
    }

    /** The accuracy guard on every fork's answer to image 0, against TensorFlow's fp32 graph. */
    private static void requireAccurate(CellSpec spec, Path cache, List<Fork> forks) throws IOException {
        Model model = spec.model();
        // TensorRT's FP16 mode computes in half; fp32 runs without TF32 (Trtexec.precision), in float.
        Precision arithmetic = spec.variant() == Variant.FP16 ? Precision.FP16 : Precision.FP32;
        float[][] reference = AccuracyGuard.fp32Reference(cache, model, spec.scale(), 1);
        double tolerance = AccuracyGuard.tolerance(model, spec.scale(), arithmetic);
        for (Fork f : forks) {
            AccuracyGuard.Verdict v = AccuracyGuard.compare(reference, new float[][] {f.output()}, model, arithmetic,
                    spec.optimize(), tolerance);
            if (!v.passed()) {
                throw new IllegalStateException(model + " " + spec.variant() + " " + spec.optimize()
                        + " through TensorRT breaks the accuracy guard against fp32: top-1 " + v.top1Agree() + "/"
                        + v.images() + ", max relative error " + v.maxRelativeError() + " > " + v.tolerance());
            }
        }
    }

    /**
     * Cold: per fork, {@code read} = loading the saved engine ({@code ahead}), {@code session} = building
     * it ({@code at-load}) and deserializing it where the version times that apart (8.5 and later),
     * {@code first_inference} = from the first enqueue to its output back on the host; {@code total}
     * their sum. What each log line covers per version is in docs/tensorrt.md.
     */
    private static Figures cold(Optimize optimize, List<Fork> forks) {
        boolean ahead = optimize == Optimize.AHEAD;
        Map<String, Result<?>> phases = new LinkedHashMap<>();
        double[] total = new double[forks.size()];
        if (ahead) {
            phase(phases, CellMetric.READ, forks, total, f -> require(f.log().loadedSeconds(), "Engine loaded in"));
        }
        if (!ahead || forks.stream().allMatch(f -> f.log().deserializedSeconds().isPresent())) {
            phase(phases, CellMetric.SESSION, forks, total, f -> (ahead ? 0 : require(f.log().builtSeconds(), "Engine built in"))
                    + f.log().deserializedSeconds().orElse(0));
        }
        phase(phases, CellMetric.FIRST_INFERENCE, forks, total,
                f -> (f.timed().get(0).endD2hMs() - f.timed().get(0).startEnqMs()) / 1000);
        phases.putAll(memory(forks));
        return new Figures(new Samples(ResultRole.PRIMARY, "loadAndInferOnce", total, "ms/op"), phases, total);
    }

    /** A phase's milliseconds in every fork (from seconds), added to each fork's total. */
    private static void phase(Map<String, Result<?>> phases, CellMetric metric, List<Fork> forks, double[] total,
                              Function<Fork, Double> seconds) {
        double[] ms = new double[forks.size()];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = seconds.apply(forks.get(i)) * 1000;
            total[i] += ms[i];
        }
        phases.put(Breakdown.PHASE + metric.label(), new Samples(ResultRole.SECONDARY, Breakdown.PHASE + metric.label(), ms, "ms"));
    }

    private static double require(OptionalDouble seconds, String line) {
        return seconds.orElseThrow(() -> new IllegalStateException("trtexec's log has no '" + line + "' line"));
    }

    /**
     * Steady: each fork's timed inferences cut into the cell's iterations, in order, whose means make
     * the score and its interval as JMH's iterations do; every latency goes to the percentiles.
     */
    private static Figures steady(List<Fork> forks, int iterations) {
        List<Double> means = new ArrayList<>();
        double[] perFork = new double[forks.size()];
        List<Long> nanos = new ArrayList<>();
        for (int k = 0; k < forks.size(); k++) {
            List<TrtexecOutput.Inference> t = forks.get(k).timed();
            int parts = Math.min(iterations, t.size());
            for (int p = 0; p < parts; p++) {
                List<TrtexecOutput.Inference> part = t.subList(p * t.size() / parts, (p + 1) * t.size() / parts);
                means.add(part.stream().mapToDouble(TrtexecOutput.Inference::latencyMs).average().orElseThrow());
            }
            perFork[k] = t.stream().mapToDouble(TrtexecOutput.Inference::latencyMs).average().orElseThrow();
            t.forEach(i -> nanos.add(Math.round(i.latencyMs() * 1e6)));
        }
        Map<String, Result<?>> secondary = new LinkedHashMap<>();
        secondary.put(LatencyResult.LABEL, LatencyResult.of(nanos.stream().mapToLong(Long::longValue).toArray()));
        secondary.putAll(memory(forks));
        return new Figures(new Samples(ResultRole.PRIMARY, "infer", means.stream().mapToDouble(Double::doubleValue).toArray(),
                "ms/op"), secondary, perFork);
    }

    /** The memory peaks of trtexec over every fork: each metric's largest, as the forks' own memory probe reports. */
    private static Map<String, Result<?>> memory(List<Fork> forks) {
        Map<String, Result<?>> out = new LinkedHashMap<>();
        for (slimbench.probe.Metric m : slimbench.probe.Metric.values()) {
            forks.stream().filter(f -> f.memory().containsKey(m)).mapToDouble(f -> f.memory().get(m)).max()
                    .ifPresent(peak -> out.put(m.label(), new org.openjdk.jmh.results.ScalarResult(m.label(), peak,
                            m.unit(), org.openjdk.jmh.results.AggregationPolicy.MAX)));
        }
        return out;
    }

    /** Pixels as the float image's input file: each 0-255 value as a float32, little-endian, NHWC. */
    static byte[] floatImage(byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(pixels.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (byte p : pixels) {
            b.putFloat(p & 0xFF);
        }
        return b.array();
    }

    /** The command lines a run gives trtexec, with the suite's timing, for conditions.csv. */
    static String commandLines(Trtexec t, int warmups, int iterations, Duration iterationTime) {
        String rest = " --loadInputs=" + Model.INPUT + ":<image 0 as float32> --exportTimes=<file> --exportOutput=<file>";
        String source = t.executable() + " --onnx=<model>-float-input.onnx --noTF32|--fp16 (at-load) or --loadEngine=<saved engine> (ahead) ";
        return "cold: " + source + String.join(" ", Timing.COLD.flags()) + rest + "; steady: " + source
                + String.join(" ", Timing.steady(warmups, iterations, iterationTime).flags()) + rest
                + "; ahead's engine: " + t.executable() + " --onnx=<model>-float-input.onnx --saveEngine=<engine> "
                + t.buildOnly() + " --noTF32|--fp16";
    }
}
