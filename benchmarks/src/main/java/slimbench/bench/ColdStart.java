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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import slimbench.engine.Inference;
import slimbench.model.FileCachePolicy;
import slimbench.probe.MemoryProfiler;
import slimbench.probe.ProcessMemory;

/**
 * Cold start: what a user waits for from a model file to its first answer, in a fresh JVM each
 * time: read the file, import the graph, make the session, run the first inference. One shot per
 * fork, no warm-up. Before the shot the engine's natives are loaded and run once on an empty graph
 * (both engines alike), the input image is made, and the model's files are evicted from the page
 * cache ({@code fileCache=cold}, the default) or read through ({@code warm}); the shot records how
 * much of them was still cached. The phases ({@link Breakdown}) add up to the shot's time, the rest
 * as {@code other}.
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
    /** {@code cold} or {@code warm}: where the shot finds the model's bytes ({@link FileCachePolicy}). */
    @Param({"cold"})
    public String fileCache;

    private Path file;
    private Inference loaded;

    @Setup(Level.Trial)
    public void resolve(ModelState cell) throws IOException {
        file = cell.prepare();        // generated here if missing: never inside the shot
        cell.loadEngine();
    }

    /** Just before the shot, inside its iteration (so the memory baseline and energy window are the shot's). */
    @Setup(Level.Iteration)
    public void fileCache() throws IOException {
        Breakdown.residentBefore = PageCache.prepare(PageCache.filesOf(file), FileCachePolicy.of(fileCache));
        ProcessMemory.markPhase("baseline"); // the engine loaded and run once: what the model adds is above this
        MemoryProfiler.startPowerWindow(); // the shot's energy starts here, at the file, like its time
    }

    @Benchmark
    public int loadAndInferOnce(ModelState cell) throws IOException {
        long start = System.nanoTime();
        loaded = cell.load(file, ProcessMemory::markPhase);
        long first = System.nanoTime();
        int top = loaded.inferAndCheck();
        long answered = System.nanoTime();
        ProcessMemory.markPhase("first_inference");
        Breakdown.shot(loaded.phases(), answered - first, System.nanoTime() - start);
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
