package slimbench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;
import slimbench.bench.ChildJvm;

/**
 * The main job's length: {@code java -jar benchmarks.jar}, the default suite (or the preset and
 * models given), run once as a user runs it, in a process of its own, timed whole. The estimate
 * that run printed before its first cell, and how far it was from the time taken, come beside it
 * as secondary results, read from the run's {@code conditions.csv} after the shot. Each shot's run
 * writes its reports in a directory of its own under {@code out}, and gets a temporary
 * {@code java.io.tmpdir}, so that its JMH lock is not this harness's; a first run generates the
 * models into the cache.
 *
 * <p>How to run: {@code java -jar benchmarks.jar MainJob} (the whole default suite), or
 * {@code java -jar benchmarks.jar MainJob -p models=mobilenet_v1,inception_v1} (two of its models).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(1)
@Timeout(time = 3, timeUnit = TimeUnit.HOURS) // JMH's default, 10 minutes, is shorter than the job
public class MainJob {
    /** The jar's entry point: the main job is what a user starts, not the runner alone. */
    static final String MAIN = "slimbench.cli.Main";

    @Param("default")
    public String preset;
    /** The models, comma-separated; empty: the preset's. */
    @Param("")
    public String models;
    @Param("full")
    public String scale;
    @Param("fixtures/models")
    public String cache;
    @Param("reports/main-job")
    public String out;

    private Path log;
    private Path reports;
    private List<String> command;

    /** What the timed run said of itself, read after the shot. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Estimate {
        /** Seconds the run estimated before its first cell. */
        public double estimateSeconds;
        /** The estimate's error against the shot: (estimate - took) / took, in percent. */
        public double estimateErrorPercent;
        Path log;
        Path reports;
        long took;

        @TearDown(Level.Iteration)
        public void read() throws IOException {
            Path conditions;
            try (java.util.stream.Stream<Path> files = Files.walk(reports)) { // this shot's own --out: one run
                conditions = files.filter(f -> f.getFileName().toString().equals("conditions.csv")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("the run wrote no conditions.csv; its log: " + log));
            }
            String estimate = Conditions.read(conditions).get(Conditions.ESTIMATE);
            if (estimate == null) {
                throw new IllegalStateException(conditions + " holds no " + Conditions.ESTIMATE);
            }
            estimateSeconds = Double.parseDouble(estimate);
            estimateErrorPercent = 100 * (estimateSeconds - took / 1e9) / (took / 1e9);
        }
    }

    @Setup(Level.Iteration)
    public void prepare() throws IOException {
        Path tmp = Files.createTempDirectory("slimbench-main-job");
        log = tmp.resolve("run.log");
        command = new ArrayList<>(ChildJvm.command(List.of("-Djava.io.tmpdir=" + tmp), MAIN));
        reports = Files.createDirectories(Path.of(out, tmp.getFileName().toString())); // one shot's run alone
        command.addAll(List.of("run", "--preset", preset, "--scale", scale, "--cache", cache, "--out",
                reports.toString()));
        if (!models.isBlank()) {
            command.addAll(List.of("--models", models));
        }
    }

    @Benchmark
    public int run(Estimate estimate) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process job = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int exit;
        try {
            exit = job.waitFor();
        } catch (InterruptedException e) { // JMH's timeout or a Ctrl-C: the run stops its cells and keeps them
            job.destroy();
            throw e;
        }
        estimate.took = System.nanoTime() - start;
        estimate.log = log;
        estimate.reports = reports;
        return exit;
    }
}
