package slimbench.suite;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import slimbench.model.AtomicFile;
import slimbench.bench.PrecisionSpeed;
import slimbench.engine.TensorFlowRuntime;
import slimbench.engine.Engines;
import slimbench.engine.InferenceEngine;
import slimbench.model.Precision;
import slimbench.natives.NativeLoad;
import slimbench.probe.CoreSpeed;
import slimbench.probe.CpuFeatures;
import slimbench.probe.RunConditions;

/**
 * The run conditions written beside every results CSV ({@code conditions.csv}, {@code key,value}):
 * the device as the probes see it, the TensorFlow runtime, and the suite's own settings.
 */
public final class Conditions {
    private Conditions() {}

    public static Map<String, String> collect(SuiteOptions o) {
        Map<String, String> c = new LinkedHashMap<>(device());
        c.put("suite.preset", o.preset());
        c.put("suite.threads", o.threads().toString());
        c.put("suite.choose_threads", o.chooseThreads() ? "yes: a steady cell runs on the fastest count within its "
                + "budget (" + slimbench.bench.ThreadChoice.RULE + ")" : "no: every cell runs on exactly its budget");
        c.put("suite.cold_forks", Integer.toString(o.coldForks()));
        c.put("suite.steady_forks", Integer.toString(o.steadyForks()));
        c.put("suite.forks", o.fixedForks() ? "fixed (--forks or --iterations given)" : String.format(Locale.ROOT,
                "from %d, one more while the %d%% interval over forks is wider than +-%.0f%% of the mean and a fork "
                        + "fits in the cell's budget (cold %d s, steady %d s)", o.steadyForks(),
                ForkStats.CONFIDENCE_PERCENT, 100 * o.target(), o.coldBudget().toSeconds(), o.steadyBudget().toSeconds()));
        c.put("suite.iterations", o.warmups() + " warm-up + " + o.iterations() + " measured iterations, each >= "
                + o.iterationTime().toMillis() + " ms and >= 1 inference");
        c.put("suite.cell_timeout_s", Long.toString(o.cellTimeout().toSeconds()));
        c.put("suite.memory_limit", MemoryCeiling.of(o.memoryLimit()).describe());
        c.put("suite.scale", o.scale().label());
        c.put("suite.file_cache", o.fileCache().label() + (o.fileCache() == slimbench.model.FileCachePolicy.COLD
                ? ": the model's files evicted from the page cache before each cold shot"
                : ": the model's files read through before each cold shot"));
        c.put("suite.engine_warmup", "before each cold shot both engines load their natives and run their smallest "
                + "graph once; the input image is made before the shot");
        c.put("suite.runtimes", o.runtimes().toString());
        InferenceEngine.RunSettings run = new InferenceEngine.RunSettings(o.variants(), o.threads(), o.cache(),
                o.warmups(), o.iterations(), o.iterationTime());
        o.runtimes().forEach(e -> c.putAll(Engines.of(e).conditions(run)));
        return c;
    }

    /** One core's speed and its spread ({@link CoreSpeed}), measured at a run's start, and at its end under {@link #CORE_SPEED_END}. */
    public static final String CORE_SPEED = "machine.core_speed";
    public static final String CORE_SPEED_END = "machine.core_speed.end";
    /** The estimate a run printed before its first cell, in seconds ({@link Plan}). */
    public static final String ESTIMATE = "suite.estimate_s";
    /** How long this invocation took, in seconds, from its start (the peaks measured first) to its last cell's end. */
    public static final String TOOK = "suite.took_s";

    /**
     * What `doctor` shows and every run records: the device and the runtime. Where TensorFlow's
     * natives cannot load, {@code tf.native.error} says why and the other TensorFlow keys are absent.
     */
    public static Map<String, String> device() {
        return device(CoreSpeed.measure());
    }

    /** {@link #device()} with one core's speed as already measured. */
    public static Map<String, String> device(CoreSpeed speed) {
        Map<String, String> c = new LinkedHashMap<>(RunConditions.collect());
        c.put(CORE_SPEED, speed.describe());
        Optional<String> problem = NativeLoad.problem();
        if (problem.isPresent()) {
            c.put("tf.native.error", problem.get());
            return c;
        }
        c.put("tf.version", TensorFlowRuntime.tensorflowVersion());
        c.put("tf.native", TensorFlowRuntime.nativePlatform());
        c.put("tf.native.adapted", TensorFlowRuntime.nativePlatform().equals("linux-arm64")
                ? NativeLoad.arm64Adaptation().orElse("no arm64 binding found on the classpath")
                : "no (the published " + TensorFlowRuntime.nativePlatform() + " natives, unchanged)");
        c.put("tf.tensorrt", TensorFlowRuntime.hasTensorRt() ? "yes (TRTEngineOp registered)" : "no (TRTEngineOp not registered)");
        c.put("tf.threads", slimbench.engine.ThreadSettings.describe(System.getenv()));
        c.put("tf.onednn", "TF_ENABLE_ONEDNN_OPTS=" + System.getenv().getOrDefault("TF_ENABLE_ONEDNN_OPTS", "(default: on for x86_64)"));
        Map<Precision, PrecisionSpeed.Rate> rates = PrecisionSpeed.measure();
        for (Precision p : List.of(Precision.FP16, Precision.BF16)) {
            c.put(PrecisionSpeed.key(p), PrecisionSpeed.describe(p, rates));
        }
        return c;
    }

    /** Plain-language answers to "what will work here?", for {@code doctor}. */
    public static java.util.List<String> verdicts(Map<String, String> c) {
        CpuFeatures cpu = CpuFeatures.system();
        java.util.List<String> v = new java.util.ArrayList<>();
        if (c.containsKey("jetson.l4t")) {
            v.add("Jetson:    " + c.getOrDefault("jetson.model", "a Jetson") + ", L4T " + c.get("jetson.l4t") + " = "
                    + c.getOrDefault("jetson.jetpack", "?") + ": cells run " + c.getOrDefault("jetson.cells", "on the CPU"));
        }
        if (c.containsKey("tf.native.error")) {
            v.add("TensorFlow: cannot load here, so no cell can run (see tf.native.error)");
            return v;
        }
        boolean gpuNative = c.getOrDefault("tf.native", "").contains("gpu");
        v.add("GPU:       " + (gpuNative ? "GPU native loaded; TensorFlow uses CUDA if CUDA 12 + cuDNN 9 are found"
                : "CPU-only native" + (c.containsKey("gpu.nvidia") ? " although an NVIDIA GPU is present: build with -Pgpu" : "")));
        v.add("TensorRT:  " + (TensorFlowRuntime.hasTensorRt() ? "yes: tftrt-fp16 cells will run"
                : "no (TRTEngineOp not registered): tftrt-fp16 cells will be recorded UNSUPPORTED"));
        // The verdicts are measured (PrecisionSpeed); the instructions only say why.
        v.add("bf16:      " + c.getOrDefault(PrecisionSpeed.key(Precision.BF16), "not measured") + "; instructions: "
                + (cpu.hasAmx() ? "AMX" : cpu.hasAvx512Bf16() ? "AVX512-BF16, no AMX"
                : cpu.has("bf16") ? "ARM BF16" : "no bf16 instructions (emulated)"));
        v.add("fp16:      " + c.getOrDefault(PrecisionSpeed.key(Precision.FP16), "not measured") + "; instructions: "
                + (cpu.hasAvx512Fp16() ? "AVX512-FP16" : cpu.hasArmFp16() ? "ARM half-precision arithmetic"
                : "no fp16 arithmetic (Eigen converts through float)"));
        String total = c.getOrDefault("power.total", "");
        v.add("Power:     " + (!total.isEmpty() && !total.startsWith("none")
                ? "energy per inference will be recorded, from " + total
                : "no energy per inference: " + c.getOrDefault("power.sensors", "no power sensor found")));
        return v;
    }

    /** A conditions file as {@link #write} wrote it; an unreadable one reads as empty (context, not results). */
    public static Map<String, String> read(Path file) {
        Map<String, String> c = new LinkedHashMap<>();
        try (var in = java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            for (var r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                if (r.isConsistent() && r.isMapped("key") && r.isMapped("value")) {
                    c.put(r.get("key"), r.get("value"));
                }
            }
        } catch (IOException | RuntimeException e) {
            // nothing to compare with
        }
        return c;
    }

    public static void write(Path file, Map<String, String> conditions) throws IOException {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT)) {
            p.printRecord("key", "value");
            for (var e : conditions.entrySet()) {
                p.printRecord(e.getKey(), e.getValue());
            }
        }
        AtomicFile.write(file, w.toString());
    }
}
