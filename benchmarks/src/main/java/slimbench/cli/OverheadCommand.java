package slimbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import slimbench.bench.Breakdown;
import slimbench.stats.Percentiles;
import slimbench.engine.LoadOptions;
import slimbench.engine.LoadedModel;
import slimbench.bench.SteadyState;
import slimbench.model.Generator;
import slimbench.model.Model;
import slimbench.model.ModelFiles;
import slimbench.model.Optimize;
import slimbench.model.Variant;
import slimbench.probe.MemoryProfiler;

/**
 * {@code overhead}: what the harness itself costs. In one JVM: the per-call cost of a
 * {@code session.run} through TensorFlow Java on a trivial graph; a bare timed loop over a loaded
 * model against the JMH steady-state score of the same cell (JMH without forking, so the same JVM);
 * and that score with and without the memory profiler.
 */
@Command(name = "overhead", mixinStandardHelpOptions = true,
        description = "Measures the harness's own overhead: binding cost per call, JMH versus a bare loop, "
                + "and the memory profiler's cost on steady state.",
        footerHeading = "%nExample:%n",
        footer = {"  java -jar benchmarks.jar overhead --model resnet_v1_50 --optimize ahead \\",
                "      --rounds 8"})
final class OverheadCommand implements Callable<Integer>, Main.UsesTensorFlow {
    @Mixin
    OneCell cell = new OneCell();

    @Option(names = "--runs", description = "Inferences in the bare loop (default: ${DEFAULT-VALUE}).")
    int runs = 300;

    @Option(names = "--rounds", description = "Rounds of bare loop, JMH, JMH + profiler (default: ${DEFAULT-VALUE}).")
    int rounds = 5;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (runs < 1 || rounds < 1) {
            throw new IllegalArgumentException("--runs and --rounds must be at least 1");
        }
        Model m = Model.of(cell.model);
        Variant v = Variant.of(cell.variant);
        Optimize o = Optimize.of(cell.optimize);
        Path file = Generator.ensure(cell.cache, m, v.precision(), o, slimbench.model.Scale.FULL, 1).path();

        double bindingNs = trivialCallNanos(20_000);
        out.printf(Locale.ROOT, "binding: %.1f us per session.run on a trivial graph (median of 20000)%n",
                bindingNs / 1e3);
        MemoryProfiler.PowerSampleCost power = MemoryProfiler.powerSampleCost(2_000);
        if (power.rails() > 0) {
            // One sample per device tick: the share of one core the power rails take in the sampler thread.
            out.printf(Locale.ROOT, "power probe: %d rails, %.1f us per sample of all of them (median of 2000), "
                    + "%.3f%% of one core at one sample per %d ms%n", power.rails(), power.medianNanos() / 1e3,
                    100 * power.medianNanos() / (MemoryProfiler.DEVICE_PERIOD_MS * 1e6), MemoryProfiler.DEVICE_PERIOD_MS);
        } else {
            out.println("power probe: no power sensor here (see doctor); -Dslimbench.sys=<recorded tree> measures one");
        }

        // Rounds repeat the three measurements, so a slow minute on a shared machine hits all three
        // alike; the ratios are taken within each round and their median reported with their range.
        double[] bare = new double[rounds];
        double[] plain = new double[rounds];
        double[] probed = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            if (r % 2 == 0) { // every other round in the reverse order, so that going first or last is no bias
                bare[r] = bareLoopMillis(file, o);
                plain[r] = jmh(false);
                probed[r] = jmh(true);
            } else {
                probed[r] = jmh(true);
                plain[r] = jmh(false);
                bare[r] = bareLoopMillis(file, o);
            }
            out.printf(Locale.ROOT, "round %d: bare loop %.3f ms, JMH %.3f ms, JMH + memory profiler %.3f ms%n",
                    r + 1, bare[r], plain[r], probed[r]);
            out.flush();
        }
        double[] harness = new double[rounds];
        double[] probes = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            harness[r] = 100 * (plain[r] - bare[r]) / bare[r];
            probes[r] = 100 * (probed[r] - plain[r]) / plain[r];
        }
        out.printf(Locale.ROOT, "JMH SteadyState.infer versus the bare loop: %+.2f%% (median of %d rounds; range %+.2f%% to %+.2f%%)%n",
                Percentiles.median(harness), rounds, min(harness), max(harness));
        out.printf(Locale.ROOT, "memory profiler's cost%s: %+.2f%% (median of %d rounds; range %+.2f%% to %+.2f%%)%n",
                power.rails() > 0 ? " (power rails included)" : "", Percentiles.median(probes), rounds, min(probes), max(probes));
        out.flush();
        return 0;
    }

    /** Mean milliseconds per inference of a timed loop of {@code runs} inferences over a freshly loaded session. */
    private double bareLoopMillis(Path file, Optimize o) throws java.io.IOException {
        try (LoadedModel loaded = LoadedModel.load(file, LoadOptions.zoo(o, 0))) {
            loaded.inferAndCheck();
            for (int i = 0; i < runs; i++) { // warmed by as many inferences as it then times
                loaded.inferDiscarding();
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                loaded.inferDiscarding();
            }
            return (System.nanoTime() - t0) / 1e6 / runs;
        }
    }

    private static double min(double[] x) {
        return Arrays.stream(x).min().orElse(Double.NaN);
    }

    private static double max(double[] x) {
        return Arrays.stream(x).max().orElse(Double.NaN);
    }

    /** Median nanoseconds of one feed-run-fetch of a scalar Identity: TensorFlow Java's own cost per call. */
    static double trivialCallNanos(int calls) {
        try (Graph g = new Graph(); Session s = new Session(g); TFloat32 x = TFloat32.scalarOf(1f)) {
            Ops tf = Ops.create(g);
            var in = tf.withName("x").placeholder(TFloat32.class);
            var y = tf.withName("y").identity(in);
            long[] t = new long[calls];
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                s.runner().feed("x", x).addTarget("y").run().close();
                t[i] = System.nanoTime() - t0;
            }
            return Percentiles.median(t);
        }
    }

    /** The steady-state score of the cell in this JVM (no fork), with or without the memory profiler. */
    private double jmh(boolean probe) throws Exception {
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .include("^" + SteadyState.class.getName() + ".infer$")
                .param("model", cell.model).param("variant", cell.variant).param("optimize", cell.optimize)
                .param("cache", cell.cache.toString())
                .forks(0).warmupIterations(1).warmupTime(TimeValue.seconds(2))
                .measurementIterations(3).measurementTime(TimeValue.seconds(2))
                .addProfiler(Breakdown.class);
        if (probe) {
            opts.addProfiler(MemoryProfiler.class);
        }
        RunResult r = new Runner(opts.build()).runSingle();
        return r.getPrimaryResult().getScore();
    }
}
