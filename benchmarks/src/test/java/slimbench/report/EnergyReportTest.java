package slimbench.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;
import slimbench.suite.Cell;
import slimbench.suite.ResultRow;
import slimbench.suite.ResultsCsv;
import slimbench.suite.Status;

/** Energy rows, where a run has them, in the report beside latency and in the diff. */
class EnergyReportTest {
    @TempDir
    Path dir;

    private static ResultRow row(String variant, String mode, String metric, double score, double error, String unit) {
        return new ResultRow(new Cell(Model.MOBILENET_V1, Variant.of(variant), Optimize.AT_LOAD, 4, Mode.of(mode)), metric, score, error, unit, 3, Status.OK, "", "none");
    }

    /** A Nano-like run: steady latency and energy per inference for fp32 and fp16, one cold shot. */
    private Path run(String name, double fp32Energy, double fp16Energy) {
        List<ResultRow> rows = new ArrayList<>();
        rows.add(row("fp32", "steady", "avg", 40.0, 0.5, "ms"));
        rows.add(row("fp32", "steady", "energy.per_inference", fp32Energy, 4.0, "mJ"));
        rows.add(row("fp32", "steady", "energy.per_inference.above_idle", fp32Energy - 50, 4.0, "mJ"));
        rows.add(row("fp16", "steady", "avg", 50.0, 0.5, "ms"));
        rows.add(row("fp16", "steady", "energy.per_inference", fp16Energy, 4.0, "mJ"));
        rows.add(row("fp16", "steady", "energy.per_inference.above_idle", fp16Energy - 50, 4.0, "mJ"));
        rows.add(row("fp32", "cold", "total", 3000.0, Double.NaN, "ms"));
        rows.add(row("fp32", "cold", "energy.shot", 15.0, Double.NaN, "J"));
        Path csv = dir.resolve(name).resolve("results.csv");
        try {
            Files.createDirectories(csv.getParent());
            Files.writeString(csv.resolveSibling(Run.CONDITIONS_FILE), "key,value\nsuite.steady_forks,3\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ResultsCsv.append(csv, rows);
        return csv;
    }

    @Test
    void theReportShowsEnergyPerInferenceAfterTheLatencyTable() throws IOException {
        Path csv = run("nano", 200.0, 150.0);
        Report.write(Run.load(csv), dir.resolve("out"));
        String md = Files.readString(dir.resolve("out/report.md"));
        int latency = md.indexOf("## Steady state: mean inference time (ms)");
        int energy = md.indexOf("## Steady state: energy per inference (mJ)");
        int above = md.indexOf("## Steady state: energy per inference above idle (mJ)");
        assertTrue(latency > 0 && energy > latency && above > energy, md);
        assertTrue(md.contains("| model | fp32 | fp16 | fp16 × fp32 |"), md);
        assertTrue(md.contains("| mobilenet_v1 | 200 ± 4 | 150 ± 4 | 0.75× *beyond error* |"), md); // 150 / 200
        assertTrue(md.contains("| mobilenet_v1 | 150 ± 4 | 100 ± 4 | 0.67× *beyond error* |"), md); // above idle: 100 / 150
        assertTrue(md.contains("## Cold start: energy of the shot (J)"), md);
        assertTrue(md.contains("| mobilenet_v1 | 15 |"), md);
    }

    @Test
    void aRunWithoutSensorsHasNoEnergySection() throws IOException {
        Report.write(Run.load(Fixtures.run1()), dir);
        assertFalse(Files.readString(dir.resolve("report.md")).contains("energy"));
    }

    @Test
    void theDiffComparesEnergyWhenBothRunsHaveIt() throws IOException {
        List<Run> runs = new ArrayList<>(Run.load(run("a", 200.0, 150.0)));
        runs.addAll(Run.load(run("b", 180.0, 151.0)));
        String md = new Diff(runs).markdown(true);
        int avg = md.indexOf("### steady · avg (ms)");
        int energy = md.indexOf("### steady · energy.per_inference (mJ)");
        assertTrue(avg > 0 && energy > avg, md);
        // 200 ± 4 -> 180 ± 4: |20| > 8, beyond; 150 ± 4 -> 151 ± 4: within (no core-speed rows in these runs).
        assertTrue(md.contains("| mobilenet_v1 | fp32 | at-load | 200 ± 4 | 180 ± 4 | 0.90 | beyond error, core speed not "
                + "covered |"), md);
        assertTrue(md.contains("| mobilenet_v1 | fp16 | at-load | 150 ± 4 | 151 ± 4 | 1.01 | within error, core speed not "
                + "covered |"), md);
        assertTrue(md.contains("### cold · energy.shot (J)"), md);
    }
}
