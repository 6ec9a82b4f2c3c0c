package slimbench.bench;

import java.io.IOException;
import java.nio.file.Path;
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
import slimbench.probe.MemoryProfiler;
import slimbench.probe.ProcessMemory;

/**
 * {@link ColdStart} through ONNX Runtime: from the model's ONNX file to its first answer in a fresh
 * JVM, in the same phases (read the file, make the session, first inference; ONNX Runtime imports
 * inside its session) and with the same probes, so the two runtimes' rows compare phase by phase.
 *
 * <p>How to run: {@code java -jar benchmarks.jar OnnxRuntimeColdStart -p model=mobilenet_v1 -prof slimbench.bench.Breakdown}
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 3, jvmArgsAppend = {"-XX:+UseParallelGC"})
public class OnnxRuntimeColdStart {
    private Path file;
    private OnnxRuntimeModel loaded;

    @Setup(Level.Trial)
    public void resolve(ModelState cell) throws IOException {
        cell.requireOnnxRuntime();    // loads ONNX Runtime once per process, not per model
        file = cell.onnxFile();       // generated here if missing: never inside the shot
        MemoryProfiler.startPowerWindow();
    }

    @Benchmark
    public int loadAndInferOnce(ModelState cell) throws IOException {
        ProcessMemory.markPhase("baseline"); // ONNX Runtime loaded, its environment made: what the model adds is above this
        loaded = OnnxRuntimeModel.load(file, cell.inputName, cell.outputName, cell.spec().threads(),
                ProcessMemory::markPhase);
        long t0 = System.nanoTime();
        int top = loaded.inferAndCheck();
        Breakdown.firstInferenceNanos = System.nanoTime() - t0;
        ProcessMemory.markPhase("first_inference");
        Breakdown.phases = loaded.phases();
        return top;
    }

    @TearDown(Level.Iteration)
    public void close() {
        if (loaded != null) {
            loaded.close();
            loaded = null;
        }
    }
}
