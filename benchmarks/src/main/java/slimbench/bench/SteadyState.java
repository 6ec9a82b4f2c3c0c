package slimbench.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import slimbench.engine.Inference;
import slimbench.probe.MemoryProfiler;

/**
 * Steady state: the mean latency of one inference once the model is loaded and warm, as the 2019
 * experiment's mean of 100 runs. Each invocation is {@value #RUNS} inferences, so every measured
 * iteration averages at least 100; each inference's latency also goes to {@link Breakdown} for the
 * percentiles. One timestamp per inference, taken between inferences: consecutive timestamps
 * bound each latency, the latencies add up to the invocation's time, and the timestamps' cost
 * (one {@code System.nanoTime} per inference: 70 ns measured on the 2-core development VM, under
 * 0.01% of the smallest model's millisecond inference) is inside JMH's score exactly as it is
 * inside the latencies, so the mean and the percentiles describe the same timed work. The model is loaded and its output checked once per trial, before any timing,
 * then warmed by {@value #WARMUP_RUNS} inferences: TensorFlow's lazy work (oneDNN primitives, the
 * reordered filters, the allocator's pools) happens in the first run or two, and the Java side of
 * a call is a handful of JNI calls that no warm-up of a few hundred calls would bring to C2 anyway.
 * JMH warm-up iterations come on top when a preset asks for them ({@code diligent}). Either engine
 * runs it ({@code runtime} parameter); an ONNX Runtime cell is held to the accuracy guard against
 * TensorFlow's fp32 graph, computed in a child process.
 *
 * <p>How to run: {@code java -jar benchmarks.jar SteadyState -p model=resnet_v1_50 -p variant=bf16 -prof slimbench.bench.Breakdown}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-XX:+UseParallelGC"})
public class SteadyState {
    public static final int RUNS = 100;
    public static final int WARMUP_RUNS = 20;

    private Inference loaded;

    @Setup(Level.Trial)
    public void load(ModelState cell) throws IOException {
        loaded = cell.load(cell.prepare(), phase -> { });
        Breakdown.threadsUsed = cell.spec().threads(); // the count the cell host chose (ThreadChoice)
        loaded.inferAndCheck(); // fails the cell loudly on a wrong output, before any timing
        cell.requireAccurate(loaded); // and a variant that no longer answers as fp32 is reported, not timed
        for (int i = 0; i < WARMUP_RUNS; i++) {
            loaded.inferDiscarding();
        }
        MemoryProfiler.startPowerWindow(); // JMH runs this setup inside the first iteration: leave the loading out
    }

    @Benchmark
    @OperationsPerInvocation(RUNS)
    public void infer() {
        long before = System.nanoTime();
        for (int i = 0; i < RUNS; i++) {
            loaded.inferDiscarding();
            long after = System.nanoTime();
            Breakdown.record(after - before);
            before = after;
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        loaded.close();
    }
}
