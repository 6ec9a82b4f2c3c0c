package slimbench.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import slimbench.engine.Inference;
import slimbench.probe.MemoryProfiler;

/**
 * Steady state: the mean latency of one inference once the model is loaded and warm, the 2019
 * experiment's mean of 100 runs made a mean over time-bounded iterations. Each invocation is one
 * inference, so an iteration lasts its set time or one inference, whichever is longer: a slow model
 * (fp16 emulated on a CPU without half-precision units) does not hold a fork for hundreds of
 * inferences. Two timestamps bound each inference; its latency goes to {@link Breakdown} for the
 * percentiles, so the mean and the percentiles describe the same timed work. The model is loaded,
 * its output checked and its answers held to the accuracy guard once per trial, before any timing;
 * JMH's warm-up iterations (at least one in every preset) then take TensorFlow's lazy first-run work
 * (oneDNN primitives, reordered filters, the allocator's pools). Either engine runs it
 * ({@code runtime} parameter).
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
    private Inference loaded;

    @Setup(Level.Trial)
    public void load(ModelState cell) throws IOException {
        loaded = cell.load(cell.prepare(), phase -> { });
        Breakdown.threadsUsed = cell.spec().threads(); // the count the cell host chose (ThreadChoice)
        loaded.inferAndCheck(); // fails the cell loudly on a wrong output, before any timing
        cell.requireAccurate(loaded); // and a variant that no longer answers as fp32 is reported, not timed
        MemoryProfiler.startPowerWindow(); // JMH runs this setup inside the first iteration: leave the loading out
    }

    @Benchmark
    public void infer() {
        long before = System.nanoTime();
        loaded.inferDiscarding();
        Breakdown.record(System.nanoTime() - before);
    }

    @TearDown(Level.Trial)
    public void close() {
        loaded.close();
    }
}
