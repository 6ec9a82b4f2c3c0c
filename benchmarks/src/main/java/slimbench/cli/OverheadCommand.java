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
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import slimbench.bench.Breakdown;
import slimbench.bench.LoadedModel;
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
                + "and the memory profiler's cost on steady state.")
final class OverheadCommand implements Callable<Integer> {
    @Option(names = "--model", description = "Model (default: ${DEFAULT-VALUE}).")
    String model = "resnet_v1_50";

    @Option(names = "--variant", description = "fp32, fp16 or bf16 (default: ${DEFAULT-VALUE}).")
    String variant = "fp32";

    @Option(names = "--optimize", description = "at-load or ahead (default: ${DEFAULT-VALUE}).")
    String optimize = "ahead";

    @Option(names = "--runs", description = "Inferences in the bare loop (default: ${DEFAULT-VALUE}).")
    int runs = 300;

    @Option(names = "--cache", paramLabel = "DIR", description = "Model cache (default: ${DEFAULT-VALUE}).")
    Path cache = ModelFiles.DEFAULT_CACHE;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Model m = Model.of(model);
        Variant v = Variant.of(variant);
        Optimize o = Optimize.of(optimize);
        Path file = Generator.ensure(cache, m, v.precision(), o, slimbench.model.Scale.FULL, 1).path();

        double bindingNs = trivialCallNanos(20_000);
        out.printf(Locale.ROOT, "binding: %.1f us per session.run on a trivial graph (median of 20000)%n",
                bindingNs / 1e3);

        double bareMs;
        try (LoadedModel loaded = LoadedModel.load(file, o, 0, null)) {
            loaded.inferAndCheck();
            for (int i = 0; i < 20; i++) {
                loaded.inferDiscarding();
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                loaded.inferDiscarding();
            }
            bareMs = (System.nanoTime() - t0) / 1e6 / runs;
        }
        out.printf(Locale.ROOT, "bare loop: %.3f ms per inference (mean of %d)%n", bareMs, runs);
        out.flush();

        double plain = jmh(false);
        double probed = jmh(true);
        out.printf(Locale.ROOT, "JMH SteadyState.infer: %.3f ms (%.2f%% from the bare loop)%n", plain,
                100 * (plain - bareMs) / bareMs);
        out.printf(Locale.ROOT, "JMH with the memory profiler: %.3f ms (%.2f%% from without)%n", probed,
                100 * (probed - plain) / plain);
        out.flush();
        return 0;
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
            Arrays.sort(t);
            return t[calls / 2];
        }
    }

    /** The steady-state score of the cell in this JVM (no fork), with or without the memory profiler. */
    private double jmh(boolean probe) throws Exception {
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .include("^" + SteadyState.class.getName() + ".infer$")
                .param("model", model).param("variant", variant).param("optimize", optimize)
                .param("cache", cache.toString())
                .forks(0).warmupIterations(2).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .addProfiler(Breakdown.class);
        if (probe) {
            opts.addProfiler(MemoryProfiler.class);
        }
        RunResult r = new Runner(opts.build()).runSingle();
        return r.getPrimaryResult().getScore();
    }
}
