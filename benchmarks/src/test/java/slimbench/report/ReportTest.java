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

class ReportTest {
    @TempDir
    Path out;

    @Test
    void reportHasTheExperimentsTablesWithFailuresAndSpeedUps() throws IOException {
        List<Path> written = Report.write(Run.load(Fixtures.run1()), out);
        assertEquals(List.of(out.resolve("report.md"), out.resolve("cold-start.png"), out.resolve("steady-state.png")),
                written);
        String md = Files.readString(out.resolve("report.md"));

        assertTrue(md.startsWith("# SlimBench report: host-a/run1\n"), md);
        assertTrue(md.contains("27 cells, 5 failed (2 KILLED, 1 OOM, 1 TIMEOUT, 1 UNSUPPORTED)"), md);
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
        assertTrue(md.contains("| mobilenet_v1 | 120 | 150 | **UNSUPPORTED** | 0.80× | – |"), md);
        assertTrue(md.contains("| vgg_16 | 2400 *swap* | **KILLED** *low-memory* | – | – | – |"), md);
        assertTrue(md.contains("| resnet_v1_50 | 480 | 400 | – | 1.20× | – |"), md);
        assertTrue(md.contains("### optimize ahead"), md);
        assertTrue(md.contains("| mobilenet_v1 | 90 | **OOM** | – |"), md);
        assertTrue(md.contains("| inception_v3 | 90 ± 2 | **TIMEOUT** | – |"), md);
        assertTrue(md.contains("| resnet_v1_50 | 60 ± 1.5 | 55 ± 1 | 1.09× |"), md);
        // The experiment's model order, not the file's.
        assertTrue(md.indexOf("| mobilenet_v1 | 10 ± 0.2", steady) < md.indexOf("| vgg_16 | 310", steady), md);
        assertTrue(md.indexOf("| inception_v3 | 90 ± 2", steady) < md.indexOf("| resnet_v1_50 | 60", steady), md);
        assertTrue(md.contains("![Cold start: first inference](cold-start.png)"), md);
        assertTrue(md.contains("![Steady state: mean inference time](steady-state.png)"), md);

        assertPng(out.resolve("cold-start.png"));
        assertPng(out.resolve("steady-state.png"));
        try (var files = Files.list(out)) {
            assertEquals(3, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void partialRunReportsWhatItHas() throws IOException {
        Report.write(Run.load(Fixtures.recorded("partial/results.csv")), out);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("**Partial run:** the run was interrupted"), md);
        assertTrue(md.contains("| mobilenet_v1 | 125 |"), md);
        assertTrue(md.contains("| mobilenet_v1 | 9.5 ± 0.2 |"), md);
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
        assertTrue(md.contains("| mobilenet_v1 | 1423 | 22194 | 0.064× |"), md);
        assertTrue(md.contains("| mobilenet_v1 | 1423 | 1066 | 1.33× |"), md);
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
        var series = new java.util.LinkedHashMap<String, java.util.Map<String, Double>>();
        series.put("fp32", java.util.Map.of("a", 10.0, "b", 5000.0));
        assertTrue(Charts.bars("t", "ms", List.of("a", "b"), series, png));
        series.put("fp32", java.util.Map.of("a", 10.0, "b", 50.0));
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
