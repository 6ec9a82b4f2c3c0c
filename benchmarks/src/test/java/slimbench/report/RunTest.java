package slimbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;
import slimbench.suite.ResultRow;
import slimbench.suite.Status;

class RunTest {

    /** The example run in the repository was written before the runtime column: it still reads, on TensorFlow. */
    @Test
    void theExampleRunFromBeforeTheRuntimeColumnReadsAsTensorFlow() throws IOException {
        Path example = Fixtures.OLD_DEFAULT;
        List<Run> runs = Run.load(example);
        assertEquals(1, runs.size());
        assertTrue(runs.get(0).rows().size() > 10, runs.get(0).rows().toString());
        assertTrue(runs.get(0).rows().stream().allMatch(r -> r.runtime().equals(Engine.TENSORFLOW)));
        assertTrue(runs.get(0).find(cell("mobilenet_v1", Variant.FP32, Optimize.AT_LOAD, 0, Mode.COLD), "total").isPresent());
    }

    @Test
    void referenceHoldsOneRunPerMachineWithTheSharedFileSizes() throws IOException {
        List<Run> runs = Run.load(Fixtures.REFERENCE);
        assertEquals(List.of("blog-2019-tftrt/gtx1070", "blog-2019-tftrt/jetson_nano"),
                runs.stream().map(Run::label).toList());
        Run gtx = runs.get(0);
        Run nano = runs.get(1);
        // 30 file sizes (machine any) + 30 dynamic-op + 30 static-op + 30 steady rows; the Nano has no static-op rows.
        assertEquals(120, gtx.rows().size());
        assertEquals(90, nano.rows().size());
        assertEquals(30, count(gtx, "file"));
        assertEquals(30, count(nano, "file"));
        assertEquals(60, count(gtx, "cold"));
        assertEquals(30, count(nano, "cold"));
        assertEquals(30, count(nano, "steady"));
        assertEquals("AMD Ryzen 7 1700", gtx.conditions().get("cpu.model"));
        assertEquals("5.1.6", nano.conditions().get("tensorrt"));
    }

    @Test
    void referenceIsMappedToSlimBenchNames() throws IOException {
        Run gtx = Run.load(Fixtures.REFERENCE).get(0);
        ResultRow vggTrtFile = gtx.find(cell("vgg_16", Variant.TFTRT_FP16, Optimize.AT_LOAD, 0, Mode.FILE), "file_size").orElseThrow();
        assertEquals(1.1 * 1024, vggTrtFile.score(), 1e-9);
        assertEquals("MiB", vggTrtFile.unit());
        assertEquals(22194, gtx.find(cell("mobilenet_v1", Variant.TFTRT_FP16, Optimize.AT_LOAD, 0, Mode.COLD), "first_inference")
                .orElseThrow().score());
        assertEquals(1066, gtx.find(cell("mobilenet_v1", Variant.TFTRT_FP16, Optimize.AHEAD, 0, Mode.COLD), "first_inference")
                .orElseThrow().score());
        ResultRow steady = gtx.find(cell("vgg_16", Variant.FP32, Optimize.AT_LOAD, 0, Mode.STEADY), "avg").orElseThrow();
        assertEquals(100, steady.samples());
        assertTrue(Double.isNaN(steady.error()));

        Run nano = Run.load(Fixtures.REFERENCE, List.of("jetson_nano")).get(0);
        assertEquals(Status.KILLED, nano.find(cell("vgg_16", Variant.FP32, Optimize.AT_LOAD, 0, Mode.COLD), "first_inference")
                .orElseThrow().status());
        assertEquals(Status.NOT_STARTED, nano.find(cell("vgg_16", Variant.TFTRT_FP16, Optimize.AT_LOAD, 0, Mode.STEADY), "avg")
                .orElseThrow().status());
        assertEquals(Status.OOM, nano.find(cell("resnet_v1_50", Variant.TFTRT_FP16, Optimize.AT_LOAD, 0, Mode.COLD), "first_inference")
                .orElseThrow().status());
    }

    @Test
    void unknownMachineIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Run.load(Fixtures.REFERENCE, List.of("tx2")));
        assertTrue(e.getMessage().contains("no machine tx2"), e.getMessage());
        assertTrue(e.getMessage().contains("gtx1070, jetson_nano"), e.getMessage());
    }

    @Test
    void resultsCsvIsOneRunLabelledByHostAndRun() throws IOException {
        List<Run> runs = Run.load(Fixtures.run1());
        assertEquals(1, runs.size());
        Run run = runs.get(0);
        assertEquals("host-a/run1", run.label());
        assertEquals("performance", run.conditions().get("governor"));
        assertTrue(run.notes().isEmpty());
        assertEquals(Status.KILLED, run.lookup(cell("vgg_16", Variant.FP16, Optimize.AT_LOAD, 4, Mode.COLD), "first_inference")
                .orElseThrow().status());
        assertTrue(run.lookup(cell("vgg_19", Variant.FP32, Optimize.AT_LOAD, 4, Mode.COLD), "first_inference").isEmpty());
    }

    @Test
    void tornLastLineIsSkippedAndNoted() throws IOException {
        Run partial = Run.load(Fixtures.recorded("partial/results.csv")).get(0);
        assertEquals(10, partial.rows().size());
        assertEquals(1, partial.notes().size());
        assertTrue(partial.notes().get(0).contains("interrupted"));

        // Cut inside a quoted message: the parser sees an open quote at the end of the file.
        Run quoted = Run.load(Fixtures.recorded("torn-quote/results.csv")).get(0);
        assertEquals(39, quoted.rows().size());
        assertEquals(1, quoted.notes().size());
    }

    @Test
    void foreignCsvIsRejectedNamingFileAndColumns() {
        Path foreign = Fixtures.recorded("foreign.csv");
        var e = assertThrows(IllegalArgumentException.class, () -> Run.load(foreign));
        assertTrue(e.getMessage().startsWith(foreign.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(String.join(",", ResultRow.COLUMNS)), e.getMessage());
        assertTrue(e.getMessage().contains("machine,model,variant,metric,value,unit,status"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Run.load(Path.of("no/such/results.csv")));
        assertTrue(e.getMessage().contains("no/such/results.csv: no such file"), e.getMessage());
    }

    private static long count(Run run, String mode) {
        return run.rows().stream().filter(r -> r.mode().label().equals(mode)).count();
    }

    /** The cell a test looks a figure up by: the default engine, on {@code threads}. */
    private static CellMatch cell(String model, Variant variant, Optimize optimize, int threads, Mode mode) {
        return CellMatch.of(slimbench.suite.Cell.named(model, variant, optimize, threads, mode, Engine.DEFAULT, threads));
    }

    /** An upper bound too few inferences cannot give is an empty OK row that says so; it does not make the file damaged. */
    @Test
    void anUnboundedPercentileReadsAsNoFigureNotAsDamage(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path csv = tmp.resolve("results.csv");
        slimbench.suite.ResultsCsv.append(csv, List.of(new slimbench.suite.ResultRow(
                new slimbench.suite.Cell(Model.MOBILENET_V1, Variant.FP32, Optimize.AT_LOAD, 1, Mode.STEADY), "p99.upper", Double.NaN,
                Double.NaN, "ms", 120, slimbench.suite.Status.OK, "not bounded: 95% confidence in a p99 needs at "
                + "least 299 inferences", "none")));
        assertEquals(1, Run.load(csv).get(0).rows().size());
    }
}
