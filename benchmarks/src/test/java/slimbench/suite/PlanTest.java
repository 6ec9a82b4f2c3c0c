package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import slimbench.model.CellSpec;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Scale;
import slimbench.model.Variant;

/** The run says what it is about to do, and how long that should take, before the first cell. */
class PlanTest {
    /** A cache that holds every file the options' cells need, so that estimates leave generation out. */
    private static final Path GENERATED = generated();

    private static Path generated() {
        try {
            Path cache = java.nio.file.Files.createTempDirectory("plan-test");
            for (Model m : List.of(Model.MOBILENET_V1, Model.VGG_16)) {
                for (Variant v : List.of(Variant.FP32, Variant.FP16)) {
                    for (Optimize o : Optimize.values()) {
                        Path f = slimbench.model.ModelFiles.frozenPath(cache, m, v.precision(), o, Scale.FULL, 1);
                        java.nio.file.Files.createDirectories(f.getParent());
                        java.nio.file.Files.createFile(f);
                        f.toFile().deleteOnExit();
                        f.getParent().toFile().deleteOnExit();
                    }
                }
            }
            cache.toFile().deleteOnExit();
            return cache;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static SuiteOptions options() {
        return options(4, 300, List.of(0), true);
    }

    private static SuiteOptions options(int iterations, int cellTimeout) {
        return options(iterations, cellTimeout, List.of(0), true);
    }

    private static SuiteOptions options(int iterations, int cellTimeout, List<Integer> threads, boolean fixed) {
        return options(iterations, cellTimeout, threads, fixed, GENERATED);
    }

    private static SuiteOptions options(int iterations, int cellTimeout, List<Integer> threads, boolean fixed, Path cache) {
        return new SuiteOptions("quick", List.of(Model.MOBILENET_V1, Model.VGG_16), List.of(Variant.FP32, Variant.FP16),
                List.of(Optimize.AT_LOAD, Optimize.AHEAD), threads, List.of(Mode.COLD, Mode.STEADY),
                List.of(Engine.DEFAULT), 3, 2, 1, iterations, Duration.ofSeconds(1), Duration.ofSeconds(cellTimeout), 0, Scale.FULL,
                cache, null, "input", "scores", Path.of("reports"), null, List.of(), false, false,
                slimbench.model.FileCachePolicy.COLD, fixed, 0.03, Duration.ofSeconds(60), Duration.ofSeconds(90), true);
    }

    private static Duration of(SuiteOptions o, java.util.function.Predicate<CellSpec> which) {
        return new Plan(o.cells(), o.cells().stream().filter(which).toList(), o).estimate();
    }

    @Test
    void countsEachAxisAndEstimatesTheCellsStillToRun() {
        SuiteOptions o = options();
        List<CellSpec> cells = o.cells();
        Plan all = new Plan(cells, cells, o);
        List<String> lines = all.lines();
        assertEquals("matrix: by model: mobilenet_v1 8, vgg_16 8; by variant: fp16 8, fp32 8; "
                + "by optimize: ahead 8, at-load 8; by mode: cold 8, steady 8; by runtime: tensorflow 16", lines.get(0));
        assertTrue(lines.get(1).startsWith("estimate: " + Plan.format(all.estimate()) + " for the 16 cells to run"),
                lines.get(1));
        assertTrue(lines.get(1).contains("an estimate, not a measurement"), lines.get(1));
        assertEquals(all.estimate(), of(o, c -> c.mode() == Mode.COLD).plus(of(o, c -> c.mode() == Mode.STEADY)),
                "only what is left to run, cell by cell");
        // A fixed cold cell is its forks, each a start and the model's load: vgg_16 loads longer than mobilenet_v1.
        CellSpec small = cells.stream().filter(c -> c.model() == Model.MOBILENET_V1 && c.mode() == Mode.COLD).findFirst()
                .orElseThrow();
        assertTrue(all.fork(small).compareTo(Plan.FORK_START) >= 0, all.fork(small).toString());
        assertTrue(of(o, c -> c.model() == Model.VGG_16 && c.mode() == Mode.COLD)
                .compareTo(of(o, c -> c.model() == Model.MOBILENET_V1 && c.mode() == Mode.COLD)) > 0);
        // One more measured iteration: 8 steady cells x 2 forks x 1 s.
        assertEquals(Duration.ofSeconds(16), of(options(5, 300), c -> c.mode() == Mode.STEADY)
                .minus(of(o, c -> c.mode() == Mode.STEADY)));
    }

    @Test
    void anAdaptiveCellIsEstimatedAtItsBudgetAndAThreadBudgetAddsItsProbes() {
        SuiteOptions adaptive = options(4, 300, List.of(1), false);
        assertEquals(Duration.ofSeconds(4 * 60),
                of(adaptive, c -> c.model() == Model.MOBILENET_V1 && c.mode() == Mode.COLD),
                "4 cold cells whose first 3 shots fit in the 60 s budget");
        SuiteOptions two = options(4, 300, List.of(2), false);
        CellSpec steady = two.cells().stream().filter(c -> c.mode() == Mode.STEADY).findFirst().orElseThrow();
        Plan p = new Plan(two.cells(), List.of(steady), two);
        Duration probes = p.estimate().minus(Duration.ofSeconds(90));
        assertTrue(probes.compareTo(Plan.FORK_START.multipliedBy(4)) >= 0, "2 rounds x counts 1 and 2: " + probes);
        SuiteOptions one = options(4, 300, List.of(1), false);
        CellSpec single = one.cells().stream().filter(c -> c.mode() == Mode.STEADY).findFirst().orElseThrow();
        assertEquals(Duration.ofSeconds(90), new Plan(one.cells(), List.of(single), one).estimate(),
                "no probes for a budget of 1");
    }

    @Test
    void theWatchdogGivesEachForkTheCellTimeoutAndThePlanWarnsWhenOneForkCannotFit() {
        SuiteOptions o = options();
        CellSpec cold = o.cells().stream().filter(c -> c.mode() == Mode.COLD).findFirst().orElseThrow();
        CellSpec steady = o.cells().stream().filter(c -> c.mode() == Mode.STEADY).findFirst().orElseThrow();
        assertEquals(Duration.ofSeconds(900), o.timeoutOf(cold), "3 cold forks");
        assertEquals(Duration.ofSeconds(600), o.timeoutOf(steady), "2 steady forks");
        assertEquals(Duration.ofSeconds(960), options(4, 300, List.of(0), false).timeoutOf(cold),
                "3 cold forks and the forks its 60 s budget may add");
        assertEquals(2, new Plan(o.cells(), o.cells(), o).lines().size(), "no warning when a fork fits");
        // A start, a load and (1 warm-up + 40 iterations) x 1 s per fork, over a 30 s limit
        SuiteOptions tight = options(40, 30);
        List<String> lines = new Plan(tight.cells(), tight.cells(), tight).lines();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(2).startsWith("warning: a steady fork should take about ") && lines.get(2)
                .contains("more than the 30 s --cell-timeout per fork"), lines.get(2));
    }

    @Test
    void aFileNotYetGeneratedAddsItsGenerationOnceAndASlowModelLengthensItsIterations() {
        SuiteOptions fresh = options(4, 300, List.of(1), true, Path.of("no-such-cache"));
        SuiteOptions cached = options(4, 300, List.of(1), true);
        Duration generation = new Plan(fresh.cells(), fresh.cells(), fresh).estimate()
                .minus(new Plan(cached.cells(), cached.cells(), cached).estimate());
        // 2 models x 2 precisions x 2 optimize modes, each generated once though a cold and a steady cell need it.
        long bytes = 0;
        for (Model m : List.of(Model.MOBILENET_V1, Model.VGG_16)) {
            for (Variant v : List.of(Variant.FP32, Variant.FP16)) {
                bytes += 2 * m.describe(Scale.FULL).parameters() * v.precision().bytes();
            }
        }
        assertEquals(bytes / Plan.GENERATE_BYTES_PER_SECOND, generation.toMillis() / 1000.0, 0.01, generation.toString());

        CellSpec vgg = cached.cells().stream().filter(c -> c.model() == Model.VGG_16 && c.mode() == Mode.STEADY)
                .findFirst().orElseThrow();
        assertEquals(Duration.ZERO, new Plan(cached.cells(), List.of(vgg), cached).inference(vgg, 1), "no peak measured");
        // At 10 GFLOP/s, half of it reached, vgg_16's 2 x 15.5 GMACs take seconds: each iteration is one inference.
        Plan slow = new Plan(cached.cells(), List.of(vgg), cached, java.util.Map.of(1,
                java.util.Map.of(slimbench.model.Precision.FP32, 10.0, slimbench.model.Precision.FP16, 10.0)));
        Duration one = slow.inference(vgg, 1);
        assertEquals(2.0 * Model.VGG_16.describe(Scale.FULL).macs() / 5e9, one.toMillis() / 1000.0, 0.01);
        Duration fast = new Plan(cached.cells(), List.of(vgg), cached).fork(vgg);
        assertEquals(fast.plus(one.multipliedBy(Plan.CHECK_INFERENCES))
                .plus(one.minus(cached.iterationTime()).multipliedBy(cached.warmups() + cached.iterations())),
                slow.fork(vgg), "a fork's checks and its 5 iterations of one inference each");
        assertEquals(one.toMillis() / 2.0, slow.inference(vgg, 2).toMillis(), 1, "a count with no peak: the nearest count's, scaled");
    }
}
