package slimbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;
import slimbench.suite.Cell;
import slimbench.suite.ResultRow;
import slimbench.suite.Status;

class DiffTest {
    private static List<Run> runs(java.nio.file.Path... files) throws IOException {
        List<Run> runs = new ArrayList<>();
        for (var f : files) {
            runs.addAll(Run.load(f));
        }
        return runs;
    }

    @Test
    void conditionsFirstThenOneTablePerMetricWithRatiosAndErrorFlags() throws IOException {
        String md = new Diff(runs(Fixtures.run1(), Fixtures.run2())).markdown(true);
        assertTrue(md.indexOf("## Run conditions that differ") > 0
                && md.indexOf("## Run conditions that differ") < md.indexOf("## Results"), md);
        assertTrue(md.contains("| jvm | 17.0.15 | 21.0.4 |"), md);
        assertTrue(md.contains("| governor | performance | schedutil |"), md);
        assertFalse(md.contains("| host |"), "equal conditions are not listed");
        assertTrue(md.contains("*X/Y* = run X / run Y"), md);

        assertTrue(md.contains("### steady · avg (ms)"), md);
        assertTrue(md.contains("| model | variant | optimize | A | B | B/A | B/A verdict |"), md);
        // 10 ± 0.2 -> 8 ± 0.2: |2| > 0.4, beyond the error; these runs recorded no core-speed spread.
        assertTrue(md.contains("| mobilenet_v1 | fp32 | at-load | 10 ± 0.2 | 8 ± 0.2 | 0.80 | beyond error, core speed not "
                + "covered |"), md);
        // 12.5 ± 0.3 -> 12.7 ± 0.3: within.
        assertTrue(md.contains("| mobilenet_v1 | fp16 | at-load | 12.5 ± 0.3 | 12.7 ± 0.3 | 1.02 | within error, core speed "
                + "not covered |"), md);
        assertTrue(md.contains("| resnet_v1_50 | fp16 | at-load | 55 ± 1 | 45 ± 1 | 0.82 | beyond error, core speed not "
                + "covered |"), md);
        // Failure-aware cells.
        assertTrue(md.contains("| inception_v3 | fp32 | at-load | 90 ± 2 | **OOM** *low-memory* | OK -> OOM |  |"), md);
        assertTrue(md.contains("| inception_v3 | fp16 | at-load | **TIMEOUT** | 85 ± 2 | TIMEOUT -> OK |  |"), md);
        // run1's vgg_16 fp16 cold cell failed: shown in the table of its failure row (total), not in every cold table.
        int total = md.indexOf("### cold · total");
        assertTrue(md.indexOf("| vgg_16 | fp16 | at-load | **KILLED** *low-memory* | 3770 *low-memory* | KILLED -> OK |  |")
                > total, md);
        assertFalse(md.contains("| vgg_16 | fp16 | at-load | **KILLED** *low-memory* | 2600"), md);
        assertTrue(md.contains("| A | vgg_16 | fp16 | KILLED | cold at-load | fork died by signal 9 (SIGKILL), rss 3.9 GiB |"), md);
        // Cold timings are single shots: no error bar, so the ratio is indicative.
        assertTrue(md.contains("| mobilenet_v1 | fp32 | at-load | 120 | 110 | 0.92 | indicative |"), md);
        // Tables in pipeline order: file, cold, steady.
        assertTrue(md.indexOf("### file · file_size") < md.indexOf("### cold · first_inference"), md);
        assertTrue(md.indexOf("### cold · first_inference") < md.indexOf("### steady · avg"), md);
    }

    @Test
    void csvHasOneLinePerCellMetricAndRun() throws IOException {
        String csv = new Diff(runs(Fixtures.run1(), Fixtures.run2())).csv();
        List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        CSVRecord b = records.stream().filter(r -> r.get("metric").equals("avg") && r.get("model").equals("mobilenet_v1")
                && r.get("variant").equals("fp32") && r.get("run").equals("B")).findFirst().orElseThrow();
        assertEquals("host-a/run2", b.get("label"));
        assertEquals(0.8, Double.parseDouble(b.get("ratio")), 1e-9);
        assertEquals("beyond error, core speed not covered", b.get("verdict"));
        CSVRecord oom = records.stream().filter(r -> r.get("metric").equals("avg") && r.get("model").equals("inception_v3")
                && r.get("variant").equals("fp32") && r.get("run").equals("B")).findFirst().orElseThrow();
        assertEquals("OOM", oom.get("status"));
        assertEquals("", oom.get("score"));
        assertEquals("", oom.get("ratio"));
        assertEquals(Diff.CSV_COLUMNS, records.get(0).getParser().getHeaderNames());
    }

    @Test
    void referenceMachinesBecomeRunsBesideANewRun() throws IOException {
        List<Run> runs = runs(Fixtures.REFERENCE, Fixtures.run1());
        String md = new Diff(runs).markdown(true);
        assertTrue(md.contains("**A** = blog-2019-tftrt/gtx1070"), md);
        assertTrue(md.contains("**B** = blog-2019-tftrt/jetson_nano"), md);
        assertTrue(md.contains("**C** = host-a/run1"), md);
        assertTrue(md.contains("| CPU | AMD Ryzen 7 1700 | ARM Cortex-A57 (4 cores) | Intel(R) Core(TM) i7-8700"), md);
        assertTrue(md.contains("| glibc | – | – | 2.36 |"), "the reference recorded no glibc:\n" + md);
        // gtx1070 1423 ms, Nano 27551 ms, host-a 120 ms.
        // Each run against each earlier one: C/A and C/B.
        assertTrue(md.contains("| A | B | B/A | B/A verdict | C | C/A | C/A verdict | C/B | C/B verdict |"), md);
        assertTrue(md.contains("| mobilenet_v1 | fp32 | at-load | 1423 | 27551 | 19.36 | indicative | 120 | 0.084 | indicative | 0.0044 | indicative |"), md);
        assertTrue(md.contains("| vgg_16 | fp32 | at-load | 3737 | **KILLED** | OK -> KILLED |  | 2400 *swap* | 0.64 | indicative | "
                + "KILLED -> OK |  |"), md);
    }

    @Test
    void withTheReferenceTheDiffOpensWithWhereThisRunStands() throws IOException {
        String md = new Diff(runs(Fixtures.REFERENCE, Fixtures.OLD_DEFAULT)).markdown();
        int gist = md.indexOf("## In short");
        int summary = md.indexOf("## Where this run stands: steady state, mean inference time (ms)");
        assertTrue(gist > 0 && summary > gist && summary < md.indexOf("## Where each run ran"), md);
        assertTrue(md.contains("- **A** = blog-2019-tftrt/gtx1070: NVIDIA GeForce GTX 1070, AMD Ryzen 7 1700 ("), md);
        assertTrue(md.contains("- **B** = blog-2019-tftrt/jetson_nano: Jetson Nano (128-core Maxwell), ARM Cortex-A57"), md);
        assertTrue(md.contains("- **TensorFlow fp32** (C, at-load): slower than the GTX 1070 on all 15 models (1.26–4.87× its "
                + "time); faster than the Jetson Nano on all 6 models (0.19–0.34× its time)."), md);
        assertTrue(md.contains("- **TensorFlow fp16 ≈ 2019's tftrt-fp16** (C, ahead): slower than the GTX 1070"), md);
        assertTrue(md.contains("| model | precision | A | B | C | C/A | C/B |"), md);
        // The example run's figures beside the 2019 ones: 8.72 / 6 = 1.45, 8.72 / 34 = 0.26.
        assertTrue(md.contains("| mobilenet_v1 | fp32 | 6 | 34 | 8.72 ± 1.04 | 1.45 | 0.26 |"), md);
        assertTrue(md.contains("| mobilenet_v1 | fp16 ≈ tftrt-fp16 | 2 | 25 | 8.56 ± 0.649 | 4.28 | 0.34 |"), md);
        assertTrue(md.contains("| vgg_16 | fp32 | 75 | **KILLED** | 94.2 ± 14.4 | 1.26 | – |"), md);
        assertTrue(md.contains("*≈* marks an analogue, not the same cell"), md);
        assertEquals(30, md.substring(summary, md.indexOf("## Where each run ran")).lines()
                .filter(l -> l.startsWith("| ") && !l.startsWith("| model") && !l.startsWith("| ---")).count(), md);

        // The Nano's failures counted once; no table of every metric unless asked.
        assertTrue(md.contains("- B: 38 cells failed (14 KILLED, 16 NOT_MEASURED, 6 NOT_STARTED, 2 OOM)"), md);
        assertEquals(List.of(), md.lines().filter(l -> l.startsWith("### ")).toList(), md);

        String full = new Diff(runs(Fixtures.REFERENCE, Fixtures.OLD_DEFAULT)).markdown(true);
        assertTrue(full.contains("| B | vgg_16 | fp32 | KILLED | cold at-load, steady at-load |  |"), full);
        assertEquals(List.of("### file · file_size (MiB)", "### cold · first_inference (ms)", "### steady · avg (ms)"),
                full.lines().filter(l -> l.startsWith("### ")).toList(), full);
        // What is left out is named, with the command that shows it.
        assertTrue(full.contains("- C: "), full);
        assertTrue(full.contains("steady avg, p50, p90, p99, max, gflops, peak_fraction, inferences, mem.* (9). "
                + "`java -jar benchmarks.jar report " + Fixtures.OLD_DEFAULT + "` shows them"), full);
    }

    /**
     * A quick run of 2 models on both runtimes against 2019, recorded on this machine kind: the short
     * diff answers in a screenful (≤ 120 lines), with a sentence for every runtime and precision it
     * measured, ONNX Runtime's fp32 included, and no NaN; the full diff lists no condition twice alike.
     */
    @Test
    void aQuickRunAgainst2019FitsAScreenful() throws IOException {
        Path quick = Fixtures.recorded("quick-vm/tiny-2models/results.csv");
        String md = new Diff(runs(Fixtures.REFERENCE, quick)).markdown();
        assertTrue(md.lines().count() <= 80, md.lines().count() + " lines:\n" + md);
        assertFalse(md.contains("NaN") || md.contains("Infinity"), md);
        for (String sentence : List.of("- **TensorFlow fp32** (C, at-load): ", "- **TensorFlow fp16 ≈ 2019's tftrt-fp16** (C, ahead): ",
                "- **ONNX Runtime fp32** (D, ahead): faster than the GTX 1070 on both models",
                "- **ONNX Runtime fp16 ≈ 2019's tftrt-fp16** (D, ahead): ",
                "- **ONNX Runtime against TensorFlow**, D against C, cells of the same model, variant and threads: cold total ")) {
            assertTrue(md.contains(sentence), sentence + " in\n" + md);
        }
        assertFalse(md.contains(": first inference") || md.contains("; first inference"),
                "no runtime is compared by its first inference alone:\n" + md);
        assertTrue(md.contains(Runtimes.WHY), md);
        assertTrue(md.contains("| ran on | A | B | C, D |"), "one column for the runtimes of one run:\n" + md);

        String full = new Diff(runs(Fixtures.REFERENCE, quick)).markdown(true);
        assertFalse(full.contains("NaN") || full.contains("Infinity"), full);
        String conditions = full.substring(full.indexOf("## Run conditions that differ"), full.indexOf("## Failed cells"));
        for (String row : conditions.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| condition")
                && !l.startsWith("| ---")).toList()) {
            List<String> values = List.of(row.substring(2, row.length() - 2).split(" \\| ")).subList(1, 4).stream()
                    .filter(v -> !v.equals("–")).toList();
            assertTrue(values.size() >= 2 && values.stream().distinct().count() > 1, "listed but not different: " + row);
        }
        assertTrue(conditions.contains("| tf.version | 1.14 (NGC tensorflow:19.08-py3) | – | 2.18.0 |"), conditions);
        // A cold phase gets no ratio across runtimes; the cross-runtime total does.
        String first = full.substring(full.indexOf("### cold · first_inference"), full.indexOf("### cold · total"));
        assertTrue(first.contains("| mobilenet_v1 | fp32 | ahead | 1423 | – | – |  | 30.2 | 0.021 | indicative | – |  | 3.01 | – |  "
                + "| – |  | – |  |"), first);
    }

    @Test
    void aBaselineTakesEveryRatio() throws IOException {
        List<Run> runs = runs(Fixtures.REFERENCE, Fixtures.run1());
        assertEquals(1, Baseline.index(runs, "jetson_nano"));
        assertEquals(1, Baseline.index(runs, "B"));
        assertEquals(2, Baseline.index(runs, "host-a/run1"));
        var e = assertThrows(IllegalArgumentException.class, () -> Baseline.index(runs, "tx2"));
        assertTrue(e.getMessage().startsWith("--baseline tx2 names no run; give a letter or a label: "
                + "A = blog-2019-tftrt/gtx1070, B = blog-2019-tftrt/jetson_nano, C = host-a/run1"), e.getMessage());

        String csv = new Diff(runs, 1).csv();
        assertTrue(csv.contains("cold,first_inference,ms,mobilenet_v1,fp32,at-load,,C,host-a/run1,120.0,,OK,none,"
                + (120.0 / 27551) + ",indicative"), csv);
        String md = new Diff(runs, 1).markdown(true);
        assertTrue(md.contains("**B** = blog-2019-tftrt/jetson_nano: Jetson Nano (128-core Maxwell), ARM Cortex-A57 (4 cores) "
                + "(`fixtures/reference/blog-2019-tftrt.csv`), the baseline"), md);
        assertTrue(md.contains("every run against the baseline B"), md);
        assertTrue(md.contains("| model | variant | optimize | A | A/B | A/B verdict | B | C | C/B | C/B verdict |"), md);
        assertTrue(md.contains("| mobilenet_v1 | fp32 | at-load | 1423 | 0.052 | indicative | 27551 | 120 | 0.0044 | indicative |"), md);
    }

    @Test
    void aHostRunAndAJetsonRunShowWhereEachRanSideBySide() throws IOException {
        String md = new Diff(runs(Fixtures.recorded("host-x86/tiny/results.csv"),
                Fixtures.recorded("nano-arm64/tiny/results.csv"))).markdown(true);

        assertTrue(md.indexOf("## Where each run ran") < md.indexOf("## Run conditions that differ"), md);
        assertTrue(md.contains("| ran on | A | B |"), md);
        assertTrue(md.contains("| arch | amd64 | aarch64 |"), md);
        assertTrue(md.contains("| glibc | 2.39 | 2.27 |"), md);
        assertTrue(md.contains("| native | linux-x86_64; no (the published linux-x86_64 natives, unchanged) | linux-arm64; "
                + "libjnitensorflow.so: GLIBC_2.34,GLIBCXX_3.4.29 needs weak, their symbols unversioned (build-time "
                + "edit, for glibc < 2.34 / libstdc++ < GCC 11) |"), "adaptation shown in full:\n" + md);
        assertTrue(md.contains("| CPU | AMD Ryzen 5 7600 6-Core Processor | ARMv8 Processor rev 1 (v8l) |"), md);
        assertTrue(md.contains("| Jetson, L4T, JetPack | – | NVIDIA Jetson Nano Developer Kit; R32.7.1; JetPack 4 (Ubuntu 18.04, "
                + "CUDA 10.2) |"), md);
        // Not repeated among the other differences, which still list the rest.
        assertFalse(md.contains("| jvm.arch |"), md);
        assertFalse(md.contains("| glibc.version |"), md);
        assertTrue(md.contains("| os.name | Ubuntu 24.04.1 LTS | Ubuntu 18.04.6 LTS |"), md);
        // The cells with their statuses, side by side.
        assertTrue(md.contains("| mobilenet_v1 | fp32 | at-load | 1.9 ± 0.1 | 24.6 ± 0.8 | 12.95 | indicative |"), md);
        assertTrue(md.contains("| mobilenet_v1 | tftrt-fp16 | at-load | **UNSUPPORTED** | **UNSUPPORTED** | "
                + "UNSUPPORTED -> UNSUPPORTED |  |"), md);
    }

    @Test
    void aRunWithoutConditionsShowsNone(@TempDir Path dir) throws IOException {
        Path bare = Files.createDirectories(dir.resolve("nano/bare")).resolve("results.csv");
        Files.copy(Fixtures.recorded("nano-arm64/tiny/results.csv"), bare);

        String md = new Diff(runs(Fixtures.recorded("host-x86/tiny/results.csv"), bare)).markdown();

        assertTrue(md.contains("| arch | amd64 | – |"), md);
        assertTrue(md.contains("B recorded no run conditions (no conditions.csv beside its results)."), md);
        assertFalse(md.contains("Jetson, L4T"), "a row no run has is left out:\n" + md);
    }

    @Test
    void runsWithNothingInCommonAreRejected() throws IOException {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Diff(runs(Fixtures.run1(), Fixtures.recorded("other-model/results.csv"))));
        assertTrue(e.getMessage().contains("has no cell in common with host-a/run1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Diff(runs(Fixtures.run1())));
    }

    @Test
    void severalThreadCountsAreMatchedOneByOne() {
        Run a = run("a", row(1, 10, 0.1), row(4, 4, 0.1), spread(1, 0.5), spread(4, 0.5));
        Run b = run("b", row(1, 11, 0.1), row(4, 3, 0.1), spread(1, 0.5), spread(4, 0.5));
        String md = new Diff(List.of(a, b)).markdown();
        assertTrue(md.contains("| model | variant | optimize | threads | A | B | B/A | B/A verdict |"), md);
        assertTrue(md.contains("| resnet_v1_50 | fp32 | at-load | 1 | 10 ± 0.1 | 11 ± 0.1 | 1.10 | beyond error |"), md);
        assertTrue(md.contains("| resnet_v1_50 | fp32 | at-load | 4 | 4 ± 0.1 | 3 ± 0.1 | 0.75 | beyond error |"), md);
    }

    /** Quick's host run (1 fork) against itself on the Nano: like cells, but no interval here is from 3 forks. */
    @Test
    void aHostRunOfOneForkIsIndicativeEvenWithNarrowErrorBars() throws IOException {
        String md = new Diff(runs(Fixtures.recorded("host-x86/tiny/results.csv"),
                Fixtures.recorded("nano-arm64/tiny/results.csv"))).markdown();
        assertFalse(md.contains("beyond error |"), md);
    }

    /** Cells of different thread counts are set side by side, but their ratio is not called one of like cells. */
    @Test
    void aRatioAcrossThreadCountsIsNotOfLikeCells() {
        java.util.Map<String, String> forks = java.util.Map.of("suite.steady_forks", "5");
        Run a = new Run("a", Path.of("a.csv"), List.of(row(2, 10, 0.1)), forks, List.of());
        Run b = new Run("b", Path.of("b.csv"), List.of(row(4, 6, 0.1)), forks, List.of());
        String md = new Diff(List.of(a, b)).markdown();
        assertTrue(md.contains("| resnet_v1_50 | fp32 | at-load | 10 ± 0.1 | 6 ± 0.1 | 0.60 | not like: 2 vs 4 threads |"), md);
        assertFalse(md.contains("NaN"), md);
    }

    /** A figure of nothing against a figure of nothing (no swap in, no swap out) is equal: no NaN. */
    @Test
    void zeroOverZeroIsEqual() {
        Run a = run("a", new ResultRow(new Cell(Model.RESNET_V1_50, Variant.FP32, Optimize.AT_LOAD, 2, Mode.COLD), "mem.swap.in", 0, Double.NaN,
                "pages", 1, Status.OK, "", "none"));
        Run b = run("b", new ResultRow(new Cell(Model.RESNET_V1_50, Variant.FP32, Optimize.AT_LOAD, 2, Mode.COLD), "mem.swap.in", 0, Double.NaN,
                "pages", 1, Status.OK, "", "none"));
        String md = new Diff(List.of(a, b)).markdown(true);
        assertTrue(md.contains("| resnet_v1_50 | fp32 | at-load | 0 | 0 | = | indicative |"), md);
        assertFalse(md.contains("NaN"), md);
    }

    /**
     * Between runs each figure's half-width is widened by its cell's core-speed spread: 10 ± 0.1 against
     * 10.5 ± 0.1 is beyond error within one machine's steady spell, within error when the core moved 5%
     * in one of the runs; a run without the spread row says its share is not covered.
     */
    @Test
    void aRatioAcrossRunsCoversEachRunsCoreSpeedSpread() {
        ResultRow steadyA = row(2, 10, 0.1);
        ResultRow steadyB = row(2, 10.5, 0.1);
        String calm = new Diff(List.of(run("a", steadyA, spread(2, 0.5)), run("b", steadyB, spread(2, 0.5)))).markdown();
        assertTrue(calm.contains("| 10 ± 0.1 | 10.5 ± 0.1 | 1.05 | beyond error |"), calm);
        String moved = new Diff(List.of(run("a", steadyA, spread(2, 5)), run("b", steadyB, spread(2, 0.5)))).markdown();
        assertTrue(moved.contains("| 10 ± 0.1 | 10.5 ± 0.1 | 1.05 | within error |"), moved);
        String old = new Diff(List.of(run("a", steadyA), run("b", steadyB, spread(2, 0.5)))).markdown();
        assertTrue(old.contains("| 1.05 | beyond error, core speed not covered |"), old);
    }

    private static ResultRow spread(int threads, double percent) {
        return new ResultRow(new Cell(Model.RESNET_V1_50, Variant.FP32, Optimize.AT_LOAD, threads, Mode.STEADY),
                slimbench.model.CellMetric.CORE_SPEED_SPREAD.label(), percent, Double.NaN, "%", 10, Status.OK, "", "none");
    }

    private static ResultRow row(int threads, double avg, double error) {
        return new ResultRow(new Cell(Model.RESNET_V1_50, Variant.FP32, Optimize.AT_LOAD, threads, Mode.STEADY), "avg", avg, error, "ms", 10,
                Status.OK, "", "none");
    }

    private static Run run(String label, ResultRow... rows) {
        return new Run(label, java.nio.file.Path.of(label + ".csv"), List.of(rows),
                java.util.Map.of("suite.steady_forks", "3"), List.of());
    }
}
