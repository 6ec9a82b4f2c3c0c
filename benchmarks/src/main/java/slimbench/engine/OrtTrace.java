package slimbench.engine;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import slimbench.engine.OpProfile.Kind;
import slimbench.model.AtomicFile;
import slimbench.model.Generator;
import slimbench.model.Optimize;

/**
 * {@link OpProfile} from ONNX Runtime's own profiler: the JSON trace (Chrome's trace event format)
 * a session writes when profiling is on. Each inference is a {@code model_run} event; each node
 * that ran in it a {@code NAME_kernel_time} event with its op type and the shapes of its inputs and
 * outputs, from which the FLOPs of convolutions and matmuls are counted as executed. ONNX Runtime's
 * x86 NCHWc layout pads channels to whole blocks, so its kernels can do more MACs than the model has.
 *
 * <p>The profiler is on for a whole session, so the untraced inferences run on a session of their
 * own, closed before the traced one is made (two sessions' thread pools would compete). ONNX
 * Runtime's trace is in microseconds: at test scale a kernel can round to 0.
 */
final class OrtTrace {
    private static final int WARMUPS = 5;
    private static final String KERNEL = "_kernel_time";
    private static final long NANOS_PER_US = 1000;

    private OrtTrace() {}

    static OpProfile.Measured measure(Path cache, OpProfile.Options o) throws IOException {
        Path file = Generator.ensureOnnx(cache, o.model(), o.precision(), o.scale(), 1).path();
        LoadOptions load = LoadOptions.zoo(Optimize.AHEAD, o.threads());
        long[] untraced = new long[o.runs()];
        try (OnnxRuntimeModel m = OnnxRuntimeModel.load(file, load)) {
            time(m, untraced);
        }
        long[] traced = new long[o.runs()];
        Path dir = Files.createTempDirectory("slimbench-ort-profile");
        OpProfile ops;
        try {
            Path json;
            try (OnnxRuntimeModel m = OnnxRuntimeModel.load(file, load, dir.resolve("profile"))) {
                time(m, traced);
                json = m.endProfiling();
            }
            try (Reader r = Files.newBufferedReader(json)) {
                ops = of(JsonParser.parseReader(r), o.runs());
            } catch (RuntimeException e) { // Gson's too, for a trace not as ONNX Runtime writes it
                throw new IllegalStateException("cannot read ONNX Runtime's profile " + json + ": " + e.getMessage(), e);
            }
        } finally {
            AtomicFile.deleteTree(dir);
        }
        return OpProfile.measured(o, ops, untraced, traced, new OpProfile.Source(
                "on onnxruntime (the ahead graph's ONNX translation, ALL_OPT), by its profiler",
                ", on a session without the profiler", ": ONNX Runtime's NCHWc kernels pad channels to whole blocks"));
    }

    /** A checked inference and the warm-ups, then one timed inference per slot of {@code nanos}. */
    private static void time(OnnxRuntimeModel m, long[] nanos) {
        m.inferAndCheck();
        for (int i = 0; i < WARMUPS; i++) {
            m.inferDiscarding();
        }
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            m.inferDiscarding();
            nanos[i] = System.nanoTime() - t0;
        }
    }

    /**
     * The profile of the last {@code runs} inferences of a trace (the ones before are the check and
     * the warm-ups). A run's span is its first kernel's start to its last one's end.
     *
     * @throws IllegalStateException when the trace is not ONNX Runtime's or holds fewer runs
     */
    static OpProfile of(JsonElement trace, int runs) {
        if (!trace.isJsonArray()) {
            throw new IllegalStateException("not a list of trace events");
        }
        List<JsonObject> events = new ArrayList<>();
        trace.getAsJsonArray().forEach(e -> events.add(e.getAsJsonObject()));
        List<long[]> all = events.stream().filter(e -> string(e, "cat").equals("Session")
                        && string(e, "name").equals("model_run"))
                .map(e -> new long[] {e.get("ts").getAsLong(), e.get("ts").getAsLong() + e.get("dur").getAsLong()})
                .sorted(Comparator.comparingLong(r -> r[0])).toList();
        if (all.size() < runs) {
            throw new IllegalStateException("the trace holds " + all.size() + " runs, not the " + runs + " traced");
        }
        List<long[]> kept = all.subList(all.size() - runs, all.size());
        long[] first = new long[runs];
        long[] last = new long[runs];
        Arrays.fill(first, Long.MAX_VALUE);
        Arrays.fill(last, Long.MIN_VALUE);
        Map<String, OpProfile.Timed> nodes = new LinkedHashMap<>();
        for (JsonObject e : events) {
            String name = string(e, "name");
            if (!string(e, "cat").equals("Node") || !name.endsWith(KERNEL)) {
                continue;
            }
            long ts = e.get("ts").getAsLong();
            long dur = e.get("dur").getAsLong();
            int r = runOf(kept, ts);
            if (r < 0) {
                continue;
            }
            first[r] = Math.min(first[r], ts);
            last[r] = Math.max(last[r], ts + dur);
            String node = name.substring(0, name.length() - KERNEL.length());
            nodes.computeIfAbsent(node, n -> timed(n, e.getAsJsonObject("args"))).nanos().add(dur * NANOS_PER_US);
        }
        long[] spans = new long[runs];
        for (int r = 0; r < runs; r++) {
            if (first[r] == Long.MAX_VALUE) {
                throw new IllegalStateException("traced run " + (r + 1) + " holds no kernel events");
            }
            spans[r] = (last[r] - first[r]) * NANOS_PER_US;
        }
        return OpProfile.of(nodes, spans);
    }

    private static String string(JsonObject e, String key) {
        return e.has(key) ? e.get(key).getAsString() : "";
    }

    /** The index of the kept run whose span holds {@code ts}, or -1 (an earlier run's event). */
    private static int runOf(List<long[]> runs, long ts) {
        for (int r = 0; r < runs.size(); r++) {
            if (ts >= runs.get(r)[0] && ts <= runs.get(r)[1]) {
                return r;
            }
        }
        return -1;
    }

    private static OpProfile.Timed timed(String node, JsonObject args) {
        String op = args.get("op_name").getAsString();
        Kind kind = kind(op);
        long flops = 0;
        if (kind != Kind.OTHER) {
            JsonArray in = args.getAsJsonArray("input_type_shape");
            flops = 2 * macs(kind, node, shape(args.getAsJsonArray("output_type_shape"), 0), shape(in, 1));
        }
        return new OpProfile.Timed(op, kind, flops, new ArrayList<>());
    }

    /** ONNX Runtime's op types of the zoo's kernels; a depthwise convolution is a grouped {@code Conv}. */
    static Kind kind(String op) {
        return switch (op) {
            case "Conv", "FusedConv", "NhwcFusedConv" -> Kind.CONVOLUTION;
            case "MatMul", "FusedMatMul", "Gemm", "FusedGemm" -> Kind.MATMUL;
            default -> Kind.OTHER;
        };
    }

    /**
     * MACs of one kernel: its output's elements times the weights each of them takes. A convolution's
     * {@code [Cout, Cin/group, kh, kw]} filter gives each output {@code Cin/group * kh * kw}, whatever the
     * output's layout (NCHW, NCHWc, NHWC) and group; a matmul's {@code [K, N]} (or transposed) weight
     * gives each of the output's N columns K.
     */
    static long macs(Kind kind, String node, long[] out, long[] weights) {
        if (out == null || weights == null || out.length == 0 || weights.length < 2) {
            throw new IllegalStateException("cannot count the FLOPs of " + node + ": output shape "
                    + Arrays.toString(out) + ", weight shape " + Arrays.toString(weights));
        }
        long outputs = Arrays.stream(out).reduce(1, (a, b) -> a * b);
        long perOutput = Arrays.stream(weights).reduce(1, (a, b) -> a * b)
                / (kind == Kind.CONVOLUTION ? weights[0] : out[out.length - 1]);
        return outputs * perOutput;
    }

    /** The dims of the {@code i}-th of a list of {@code {"float": [dims]}}, or null when absent. */
    private static long[] shape(JsonArray shapes, int i) {
        if (shapes == null || shapes.size() <= i) {
            return null;
        }
        JsonObject typed = shapes.get(i).getAsJsonObject();
        if (typed.size() != 1) {
            return null;
        }
        JsonArray dims = typed.entrySet().iterator().next().getValue().getAsJsonArray();
        long[] s = new long[dims.size()];
        for (int d = 0; d < s.length; d++) {
            s[d] = dims.get(d).getAsLong();
        }
        return s;
    }
}
