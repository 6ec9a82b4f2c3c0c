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
        String md = new Diff(runs(Fixtures.run1(), Fixtures.run2())).markdown();
        assertTrue(md.indexOf("## Run conditions that differ") < md.indexOf("## Results"), md);
        assertTrue(md.contains("| jvm | 17.0.15 | 21.0.4 |"), md);
        assertTrue(md.contains("| governor | performance | schedutil |"), md);
        assertFalse(md.contains("| host |"), "equal conditions are not listed");
        assertTrue(md.contains("*X/A* = run X / run A"), md);

        assertTrue(md.contains("### steady · avg (ms)"), md);
        assertTrue(md.contains("| model | variant | optimize | A | B | B/A | B beyond error |"), md);
        // 10 ± 0.2 -> 8 ± 0.2: |2| > 0.4, beyond the error.
        assertTrue(md.contains("| mobilenet_v1 | fp32 | at-load | 10 ± 0.2 | 8 ± 0.2 | 0.80 | yes |"), md);
        // 12.5 ± 0.3 -> 12.7 ± 0.3: within.
        assertTrue(md.contains("| mobilenet_v1 | fp16 | at-load | 12.5 ± 0.3 | 12.7 ± 0.3 | 1.02 | no |"), md);
        assertTrue(md.contains("| resnet_v1_50 | fp16 | at-load | 55 ± 1 | 45 ± 1 | 0.82 | yes |"), md);
        // Failure-aware cells.
        assertTrue(md.contains("| inception_v3 | fp32 | at-load | 90 ± 2 | **OOM** *low-memory* | OK -> OOM |  |"), md);
        assertTrue(md.contains("| inception_v3 | fp16 | at-load | **TIMEOUT** | 85 ± 2 | TIMEOUT -> OK |  |"), md);
        assertTrue(md.contains("| vgg_16 | fp16 | at-load | **KILLED** *low-memory* | 2600 *low-memory* | KILLED -> OK |  |"),
                md);
        // Cold timings are single shots: no error bar, so the flag is unknown.
        assertTrue(md.contains("| mobilenet_v1 | fp32 | at-load | 120 | 110 | 0.92 | ? |"), md);
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
        assertEquals("yes", b.get("beyond_error"));
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
        String md = new Diff(runs).markdown();
        assertTrue(md.contains("**A** = blog-2019-tftrt/gtx1070"), md);
        assertTrue(md.contains("**B** = blog-2019-tftrt/jetson_nano"), md);
        assertTrue(md.contains("**C** = host-a/run1"), md);
        assertTrue(md.contains("| CPU | AMD Ryzen 7 1700 | ARM Cortex-A57 (4 cores) | Intel(R) Core(TM) i7-8700"), md);
        assertTrue(md.contains("| glibc | – | – | 2.36 |"), "the reference recorded no glibc:\n" + md);
        // gtx1070 1423 ms, Nano 27551 ms, host-a 120 ms.
        assertTrue(md.contains("| mobilenet_v1 | fp32 | at-load | 1423 | 27551 | 19.36 | ? | 120 | 0.08 | ? |"), md);
        assertTrue(md.contains("| vgg_16 | fp32 | at-load | 3737 | **KILLED** | OK -> KILLED |  | 2400 *swap* | 0.64 | ? |"),
                md);
    }

    @Test
    void aHostRunAndAJetsonRunShowWhereEachRanSideBySide() throws IOException {
        String md = new Diff(runs(Fixtures.recorded("host-x86/tiny/results.csv"),
                Fixtures.recorded("nano-arm64/tiny/results.csv"))).markdown();

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
        assertTrue(md.contains("| mobilenet_v1 | fp32 | at-load | 1.9 ± 0.1 | 24.6 ± 0.8 | 12.95 | yes |"), md);
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
        Run a = run("a", row(1, 10, 0.1), row(4, 4, 0.1));
        Run b = run("b", row(1, 11, 0.1), row(4, 3, 0.1));
        String md = new Diff(List.of(a, b)).markdown();
        assertTrue(md.contains("| model | variant | optimize | threads | A | B | B/A | B beyond error |"), md);
        assertTrue(md.contains("| resnet_v1_50 | fp32 | at-load | 1 | 10 ± 0.1 | 11 ± 0.1 | 1.10 | yes |"), md);
        assertTrue(md.contains("| resnet_v1_50 | fp32 | at-load | 4 | 4 ± 0.1 | 3 ± 0.1 | 0.75 | yes |"), md);
    }

    @Test
    void beyondErrorNeedsBothErrorBars() {
        assertEquals("yes", Diff.beyondError(row(1, 10, 1), row(1, 12.5, 1)));
        assertEquals("no", Diff.beyondError(row(1, 10, 1), row(1, 11.5, 1)));
        assertEquals("?", Diff.beyondError(row(1, 10, Double.NaN), row(1, 20, 1)));
    }

    private static ResultRow row(int threads, double avg, double error) {
        return new ResultRow(new Cell("resnet_v1_50", "fp32", "at-load", threads, "steady"), "avg", avg, error, "ms", 10,
                Status.OK, "", "none");
    }

    private static Run run(String label, ResultRow... rows) {
        return new Run(label, java.nio.file.Path.of(label + ".csv"), List.of(rows), java.util.Map.of(), List.of());
    }
}
