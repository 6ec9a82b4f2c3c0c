package slimbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;
import slimbench.suite.Cell;
import slimbench.suite.ResultRow;
import slimbench.suite.Status;

class ReportTest {
    @TempDir
    Path out;

    @Test
    void reportHasTheExperimentsTablesWithFailuresAndSpeedUps() throws IOException {
        List<Path> written = Report.write(Run.load(Fixtures.run1()), out);
        assertEquals(List.of(out.resolve("report.md"), out.resolve("cold-start.png"), out.resolve("steady-state.png"),
                out.resolve("benchmark-action.json"), out.resolve("bencher.json")), written);
        String md = Files.readString(out.resolve("report.md"));

        assertTrue(md.startsWith("# SlimBench report: host-a/run1\n"), md);
        // 19 cells: the 8 file sizes are no cells
        assertTrue(md.contains("19 cells, 5 failed (2 KILLED, 1 OOM, 1 TIMEOUT, 1 UNSUPPORTED)"), md);
        assertTrue(md.contains("| governor | performance |"), md);
        assertFalse(md.contains("cpu.flags"), "the flags are too long for the head");

        // Sections in the experiment's order.
        int file = md.indexOf("## Model file size (MiB)");
        int cold = md.indexOf("## Cold start: first inference (ms)");
        int steady = md.indexOf("## Steady state: mean inference time (ms)");
        assertTrue(file > 0 && cold > file && steady > cold, md);

        assertTrue(md.contains("| model | fp32 | fp16 | fp16 size × |"), md);
        assertTrue(md.contains("| vgg_16 | 528 | 264 | 0.50× |"), md);
        assertTrue(md.contains("| model | fp32 | fp16 | tftrt-fp16 | fp16 speed-up | tftrt-fp16 speed-up |"), md);
        assertTrue(md.contains("| mobilenet_v1 | 120 | 150 | **UNSUPPORTED** | 0.80× *indicative* | – |"), md);
        assertTrue(md.contains("| vgg_16 | 2400 *swap* | **KILLED** *low-memory* | – | – | – |"), md);
        assertTrue(md.contains("| resnet_v1_50 | 480 | 400 | – | 1.20× *indicative* | – |"), md);
        assertTrue(md.contains("### optimize ahead"), md);
        assertTrue(md.contains("| mobilenet_v1 | 90 | **OOM** | – |"), md);
        assertTrue(md.contains("| inception_v3 | 90 ± 2 | **TIMEOUT** | – |"), md);
        assertTrue(md.contains("| resnet_v1_50 | 60 ± 1.5 | 55 ± 1 | 1.09× *beyond error* |"), md);
        // The experiment's model order, not the file's.
        assertTrue(md.indexOf("| mobilenet_v1 | 10 ± 0.2", steady) < md.indexOf("| vgg_16 | 310", steady), md);
        assertTrue(md.indexOf("| inception_v3 | 90 ± 2", steady) < md.indexOf("| resnet_v1_50 | 60", steady), md);
        assertTrue(md.contains("![Cold start: load and first inference](cold-start.png)"), md);
        assertTrue(md.contains("![Steady state: mean inference time](steady-state.png)"), md);

        assertPng(out.resolve("cold-start.png"));
        assertPng(out.resolve("steady-state.png"));
        try (var files = Files.list(out)) {
            assertEquals(5, files.count(), "no temporary files left behind");
        }
    }

    /**
     * The quick preset's 1 fork x 3 iterations can give 33.70 ± 99.78: a figure whose interval is
     * wider than itself is marked indicative, and so is any speed-up made from it; cold shots without
     * an interval get one note per table; the head says how many measurements an interval was made of.
     */
    @Test
    void figuresWithoutAUsableIntervalAreIndicativeAndDrawNoConclusion() {
        ResultRow wide = steady("fp32", 33.70, 99.78);
        ResultRow narrow = steady("fp16", 20, 1);
        ResultRow close = steady("bf16", 33, 1);
        ResultRow shot = new ResultRow(new Cell(Model.MOBILENET_V1, Variant.FP32, Optimize.AT_LOAD, 0, Mode.COLD), "first_inference", 300, Double.NaN,
                "ms", 1, Status.OK, "", "none");
        Run run = new Run("quick", Path.of("quick.csv"), List.of(wide, narrow, close, shot),
                java.util.Map.of("suite.steady_forks", "1", "suite.iterations",
                        "20 warm-up inferences in setup, 0 warm-up + 3 measured iterations, each >= 500 ms"), List.of());
        String md = new Report(run).markdown(null, null);
        assertTrue(md.contains("| mobilenet_v1 | 33.7 ± 99.8 *indicative* | 20 ± 1 *indicative* | 33 ± 1 *indicative* | "
                + "1.69× *indicative* | 1.02× *indicative* |"), md);
        assertTrue(md.contains("half-width of the figure's 95% interval over its cell's forks"), md);
        assertTrue(md.contains("No figure here has an interval (fewer than 3 forks)"), md);
        assertFalse(md.contains("| mobilenet_v1 | 300 *indicative*"), "one note, not a mark per shot:\n" + md);

        java.util.Map<String, String> threeForks = java.util.Map.of("suite.steady_forks", "3");
        Run settled = new Run("diligent", Path.of("d.csv"), List.of(steady("fp32", 30, 1), narrow, close), threeForks,
                List.of());
        String both = new Report(settled).markdown(null, null);
        assertTrue(both.contains("| mobilenet_v1 | 30 ± 1 | 20 ± 1 | 33 ± 1 | 1.50× *beyond error* | 0.91× *beyond error* |"), both);
        Run within = new Run("w", Path.of("w.csv"), List.of(steady("fp32", 30, 2), steady("fp16", 31, 2)), threeForks,
                List.of());
        assertTrue(new Report(within).markdown(null, null).contains("| mobilenet_v1 | 30 ± 2 | 31 ± 2 | 0.97× *within error* |"));
        // The same narrow intervals from one fork: iterations of one JVM, so no conclusion.
        Run oneFork = new Run("1", Path.of("1.csv"), List.of(steady("fp32", 30, 1), narrow), java.util.Map.of(
                "suite.steady_forks", "1"), List.of());
        assertTrue(new Report(oneFork).markdown(null, null).contains("| mobilenet_v1 | 30 ± 1 *indicative* | 20 ± 1 "
                + "*indicative* | 1.50× *indicative* |"));
    }

    private static ResultRow steady(String variant, double avg, double error) {
        return new ResultRow(new Cell(Model.MOBILENET_V1, Variant.of(variant), Optimize.AT_LOAD, 0, Mode.STEADY), "avg", avg, error, "ms", 3, Status.OK, "", "none");
    }

    /**
     * A run of both runtimes (a quick run of 2 models recorded on this machine kind): its cells
     * counted without the file sizes, per runtime; the conditions once, after every result; each
     * runtime's memory said as its own; one chart per metric with both runtimes on it.
     */
    @Test
    void aRunOfBothRuntimesHasOneHeadOneConditionsTableAndSharedCharts() throws IOException {
        List<Path> written = Report.write(Run.load(Fixtures.recorded("quick-vm/tiny-2models/results.csv")), out);
        assertEquals(List.of(out.resolve("report.md"), out.resolve("cold-start.png"), out.resolve("steady-state.png"),
                out.resolve("benchmark-action.json"), out.resolve("bencher.json")), written, "no chart per runtime");
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("24 cells (16 TensorFlow, 8 ONNX Runtime), none failed."), md);
        assertEquals(1, md.lines().filter(l -> l.equals("## Run conditions")).count(), md);
        assertTrue(md.indexOf("## Run conditions") > md.indexOf("## Runtimes side by side"), "conditions after the results");
        assertTrue(md.indexOf("| cpu.model |") > md.indexOf("## Run conditions"), "no conditions table before the results");
        String tf = md.substring(md.indexOf("\n# TensorFlow"), md.indexOf("\n# ONNX Runtime"));
        String ort = md.substring(md.indexOf("\n# ONNX Runtime"), md.indexOf("## Runtimes side by side"));
        assertTrue(tf.contains("TensorFlow's native memory included"), tf);
        assertTrue(ort.contains("ONNX Runtime's native memory included"), ort);
        assertFalse(ort.contains("TensorFlow's native memory") || ort.contains("with TensorFlow loaded"), ort);
        assertTrue(md.contains("![Cold start: load and first inference](cold-start.png)"), md);
        assertPng(out.resolve("cold-start.png"));
        assertPng(out.resolve("steady-state.png"));
    }

    @Test
    void aBarSaysItsIntervalAndWhetherItIsIndicative() {
        assertEquals("1.74 ± 2.46  indicative", new Charts.Bar(1.7427, 2.4631, true).label());
        assertEquals("10 ± 0.2", new Charts.Bar(10, 0.2, false).label());
        assertEquals("149  indicative", new Charts.Bar(148.9, Double.NaN, true).label());
    }

    @Test
    void partialRunReportsWhatItHas() throws IOException {
        Report.write(Run.load(Fixtures.recorded("partial/results.csv")), out);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("**Partial run:** the run was interrupted"), md);
        assertTrue(md.contains("| mobilenet_v1 | 125 |"), md);
        assertTrue(md.contains("| mobilenet_v1 | 9.5 ± 0.2"), md);
        assertTrue(md.contains("## Model file size (MiB)\n\nThe exported model file. *size ×* = variant / fp32.\n\n"
                + "No cells of this kind were recorded."), md);
        assertPng(out.resolve("cold-start.png"));
        assertPng(out.resolve("steady-state.png"));
    }

    @Test
    void referenceReportHasOnePartPerMachineAndTheirCharts() throws IOException {
        List<Path> written = Report.write(Run.load(Fixtures.REFERENCE), out);
        assertEquals(5, written.size());
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("# SlimBench report: blog-2019-tftrt/gtx1070"), md);
        assertTrue(md.contains("# SlimBench report: blog-2019-tftrt/jetson_nano"), md);
        // gtx1070, dynamic op: 1423 ms original, 22194 ms TF-TRT: the TF-TRT first inference is 15.6x slower.
        assertTrue(md.contains("| mobilenet_v1 | 1423 | 22194 | 0.064× *indicative* |"), md);
        assertTrue(md.contains("| mobilenet_v1 | 1423 | 1066 | 1.33× *indicative* |"), md);
        assertTrue(md.contains("| vgg_16 | **KILLED** | **NOT_STARTED** | – |"), md);
        assertTrue(md.contains("| vgg_16 | 528 | 1126 | 2.13× |"), md);
        for (String chart : List.of("cold-start-gtx1070.png", "steady-state-gtx1070.png",
                "cold-start-jetson_nano.png", "steady-state-jetson_nano.png")) {
            assertTrue(md.contains("](" + chart + ")"), chart);
            assertPng(out.resolve(chart));
        }
    }

    @Test
    void wideRangesGetALogarithmicAxis() throws IOException {
        Path png = out.resolve("chart.png");
        var series = new java.util.LinkedHashMap<String, java.util.Map<String, Charts.Bar>>();
        series.put("fp32", java.util.Map.of("a", new Charts.Bar(10, 1, false), "b", new Charts.Bar(5000, 80, false)));
        assertTrue(Charts.bars("t", "ms", List.of("a", "b"), series, png));
        series.put("fp32", java.util.Map.of("a", new Charts.Bar(10, 12.5, true), "b", new Charts.Bar(50, Double.NaN, true)));
        assertFalse(Charts.bars("t", "ms", List.of("a", "b"), series, png));
        assertPng(png);
    }

    static void assertPng(Path png) throws IOException {
        assertTrue(Files.size(png) > 0, png + " is empty");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " is not a readable PNG");
        assertTrue(image.getWidth() >= 800 && image.getHeight() >= 200, png + " is too small to read");
    }
}
