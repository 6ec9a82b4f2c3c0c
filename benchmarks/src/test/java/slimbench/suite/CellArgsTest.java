package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import slimbench.model.CellSpec;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.RecordCodec;
import slimbench.model.Scale;
import slimbench.model.Variant;

/**
 * A cell crosses into its process as the runner meant it, and the runtime column and record stay
 * readable in both directions: files and records of runs before the axis read as TensorFlow.
 */
class CellArgsTest {
    @TempDir
    Path tmp;

    private static SuiteOptions options(Path root) {
        return new SuiteOptions("quick", List.of(Model.MOBILENET_V1, Model.VGG_16), List.of(Variant.FP32, Variant.FP16),
                List.of(Optimize.AT_LOAD), List.of(0, 2), List.of(Mode.COLD, Mode.STEADY), List.of(Engine.DEFAULT),
                3, 2, 1, 5, Duration.ofMillis(250), Duration.ofSeconds(60), 0, Scale.TINY, root.resolve("cache"), null,
                "input", "scores", root, null, List.of("-Xmx2g", "-XX:+UseParallelGC"), true, false, slimbench.model.FileCachePolicy.COLD, true, 0.0, java.time.Duration.ZERO, java.time.Duration.ZERO, true);
    }

    @Test
    void theCellAndItsSettingsComeBackFromTheArguments() {
        SuiteOptions o = options(tmp);
        for (CellSpec spec : o.cells()) {
            List<String> args = CellMain.args(spec, o, tmp.resolve("rows.csv"));
            assertEquals(tmp.resolve("rows.csv").toString(), args.get(0));
            Map<String, String> text = RecordCodec.parseArguments(args.subList(1, args.size()));
            assertEquals(spec, RecordCodec.decode(CellSpec.class, text));
            CellMain.Settings s = RecordCodec.decode(CellMain.Settings.class, text);
            assertEquals(CellMain.Settings.of(spec, o), s);
            assertEquals(spec.mode() == Mode.COLD ? 3 : 2, s.forks());
            assertEquals(List.of("-Xmx2g", "-XX:+UseParallelGC"), s.forkJvmArgs());
            assertEquals(tmp.resolve("cache").toAbsolutePath(), s.cache());
        }
    }

    @Test
    void theTwoRecordsOnOneArgumentListNameNoComponentTwice() {
        Set<String> names = new HashSet<>();
        for (var c : CellSpec.class.getRecordComponents()) {
            names.add(c.getName());
        }
        for (var c : CellMain.Settings.class.getRecordComponents()) {
            assertTrue(names.add(c.getName()), c.getName() + " is a component of both");
        }
    }

    @Test
    void theMatrixIsEveryCombinationOnceAndKeysAsBeforeTheRuntimeAxis() {
        List<CellSpec> cells = options(tmp).cells();
        assertEquals(2 * 2 * 1 * 2 * 2, cells.size());
        assertEquals(cells.size(), cells.stream().map(c -> Cell.of(c).key()).distinct().count());
        assertEquals("mobilenet_v1/fp32/at-load/0/cold", Cell.of(cells.get(0)).key(),
                "the default engine's key is the key of every run before the axis");
        assertEquals("mobilenet_v1 fp32 at-load t0 cold", Cell.of(cells.get(0)).toString());
        assertEquals(cells.get(0).toString(), Cell.of(cells.get(0)).toString());
    }

    @Test
    void aResultsFileWithoutTheRuntimeColumnReadsAsTensorFlowAndGoesOnWithoutIt() throws IOException {
        String old = String.join(",", ResultRow.REQUIRED) + "\r\n"
                + "mobilenet_v1,fp32,at-load,0,cold,total,1.5,,ms,1,OK,,none\r\n";
        Path csv = Files.writeString(tmp.resolve("results.csv"), old);
        assertEquals(Engine.TENSORFLOW, ResultsCsv.read(csv).get(0).runtime());
        ResultRow next = new ResultRow(new Cell(Model.MOBILENET_V1, Variant.FP32, Optimize.AT_LOAD, 0, Mode.STEADY), "avg", 2.5,
                Double.NaN, "ms", 3, Status.OK, "", "none");
        ResultsCsv.append(csv, List.of(next));
        assertEquals(old + "mobilenet_v1,fp32,at-load,0,steady,avg,2.5,,ms,3,OK,,none\r\n", Files.readString(csv),
                "a resumed older run keeps its header's width");
        assertEquals(List.of(), ResultsCsv.readAll(csv).torn());
    }

    @Test
    void aNewResultsFileRecordsTheRuntimeLast() throws IOException {
        Path csv = tmp.resolve("results.csv");
        ResultsCsv.append(csv, List.of(new ResultRow(Cell.named("m.pb", Variant.FP32, Optimize.AT_LOAD, 0, Mode.COLD, Engine.DEFAULT, 0), "total", 1.5,
                Double.NaN, "ms", 1, Status.OK, "", "none")));
        assertEquals(String.join(",", ResultRow.COLUMNS) + "\r\nm.pb,fp32,at-load,0,cold,total,1.5,,ms,1,OK,,none,"
                + "tensorflow,0,0\r\n", Files.readString(csv));
        assertEquals(Engine.TENSORFLOW, ResultsCsv.read(csv).get(0).runtime());
    }

    @Test
    void aRunRecordedBeforeTheRuntimeAxisResumesOnTensorFlow() throws IOException {
        SuiteOptions o = options(tmp);
        o.writeRecord(tmp);
        assertEquals(o.record(), SuiteOptions.recorded(tmp, null, false).record(), "the record reads back as written");
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(tmp.resolve(SuiteOptions.RECORD))) {
            p.load(in);
        }
        p.remove("runtimes");
        try (var w = Files.newBufferedWriter(tmp.resolve(SuiteOptions.RECORD))) {
            p.store(w, "an older run");
        }
        SuiteOptions r = SuiteOptions.recorded(tmp, null, false);
        assertEquals(List.of(Engine.TENSORFLOW), r.runtimes());
        assertEquals(o.cells(), r.cells());
        Files.writeString(tmp.resolve(SuiteOptions.RECORD), "runtimes=onnx-please\n", java.nio.file.StandardOpenOption.APPEND);
        var e = assertThrows(IllegalArgumentException.class, () -> SuiteOptions.recorded(tmp, null, false));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }
}
