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
 * Cold start: what a user waits for from a model file to its first answer, in a fresh JVM each
 * time: read the file, import the graph, make the session, run the first inference. One shot per
 * fork, no warm-up; the phases are broken down by {@link Breakdown}, so {@code phase.first_inference}
 * compares with the 2019 experiment (which did not time loading). Either engine runs it ({@code
 * runtime} parameter): ONNX Runtime imports inside its session, so it has no import phase.
 *
 * <p>How to run: {@code java -jar benchmarks.jar ColdStart -p model=mobilenet_v1 -p runtime=onnxruntime -prof slimbench.bench.Breakdown}
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 3, jvmArgsAppend = {"-XX:+UseParallelGC"})
public class ColdStart {
    private Path file;
    private Inference loaded;

    @Setup(Level.Trial)
    public void resolve(ModelState cell) throws IOException {
        file = cell.prepare();        // generated here if missing: never inside the shot
        cell.loadEngine();
        MemoryProfiler.startPowerWindow(); // the shot's energy starts here, at the file, like its time
    }

    @Benchmark
    public int loadAndInferOnce(ModelState cell) throws IOException {
        ProcessMemory.markPhase("baseline"); // the engine loaded and run once: what the model adds is above this
        loaded = cell.load(file, ProcessMemory::markPhase);
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
