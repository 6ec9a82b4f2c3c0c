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
import slimbench.probe.MemoryProfiler;

/**
 * {@link SteadyState} through ONNX Runtime: the mean latency of one inference of the model's ONNX
 * translation once loaded and warm, timed exactly as TensorFlow's ({@value SteadyState#RUNS}
 * inferences an invocation, one timestamp between inferences into {@link Breakdown}). Setup loads
 * the session, checks one output, holds the model to the accuracy guard against TensorFlow's fp32
 * graph (a translation that no longer answers as TensorFlow does is reported, not timed) and warms
 * it by {@value SteadyState#WARMUP_RUNS} inferences.
 *
 * <p>How to run: {@code java -jar benchmarks.jar OnnxRuntimeSteadyState -p model=resnet_v1_50 -p variant=fp16 -prof slimbench.bench.Breakdown}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-XX:+UseParallelGC"})
public class OnnxRuntimeSteadyState {
    private OnnxRuntimeModel loaded;

    @Setup(Level.Trial)
    public void load(ModelState cell) throws IOException {
        loaded = cell.loadOnnx();
        loaded.inferAndCheck();
        cell.requireAccurate(loaded);
        for (int i = 0; i < SteadyState.WARMUP_RUNS; i++) {
            loaded.inferDiscarding();
        }
        MemoryProfiler.startPowerWindow(); // JMH runs this setup inside the first iteration: leave the loading out
    }

    @Benchmark
    @OperationsPerInvocation(SteadyState.RUNS)
    public void infer() {
        long before = System.nanoTime();
        for (int i = 0; i < SteadyState.RUNS; i++) {
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
