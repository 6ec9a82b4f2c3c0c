package slimbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import slimbench.cli.Cli;
import slimbench.cli.Cli.Outcome;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import slimbench.cli.DiffCommand;
import slimbench.cli.ReportCommand;

/** The report and diff commands as a user runs them: exit codes, stdout, one-line errors. */
class CommandsTest {
    @TempDir
    Path tmp;

    private static Outcome run(Object command, Object... args) {
        String name = command instanceof ReportCommand ? "report" : "diff";
        return Cli.run(java.util.stream.Stream.concat(java.util.stream.Stream.of(name), java.util.Arrays.stream(args))
                .toArray());
    }

    @Test
    void reportWritesBesideTheCsvByDefault() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("reports/host-a/run1"));
        Path csv = Files.copy(Fixtures.run1(), dir.resolve("results.csv"));
        Files.copy(Fixtures.run1().resolveSibling("conditions.csv"), dir.resolve("conditions.csv"));
        Outcome o = run(new ReportCommand(), csv);
        assertEquals(0, o.exit(), o.err());
        assertTrue(Files.readString(dir.resolve("report.md")).contains("# SlimBench report: host-a/run1"));
        ReportTest.assertPng(dir.resolve("cold-start.png"));
        ReportTest.assertPng(dir.resolve("steady-state.png"));
        assertTrue(o.out().contains("report.md"), o.out());
    }

    @Test
    void reportOfOneReferenceMachine() throws IOException {
        Outcome o = run(new ReportCommand(), Fixtures.REFERENCE, "--machine", "jetson_nano", "--out", tmp);
        assertEquals(0, o.exit(), o.err());
        String md = Files.readString(tmp.resolve("report.md"));
        assertTrue(md.contains("blog-2019-tftrt/jetson_nano") && !md.contains("blog-2019-tftrt/gtx1070"));
        ReportTest.assertPng(tmp.resolve("cold-start.png"));
    }

    @Test
    void reportOfAPartialRunSucceeds() {
        Outcome o = run(new ReportCommand(), Fixtures.recorded("torn-quote/results.csv"), "--out", tmp);
        assertEquals(0, o.exit(), o.err());
    }

    @Test
    void badInputExitsWithTwoAndOneLine() throws IOException {
        Path empty = Files.writeString(tmp.resolve("empty.csv"), "");
        Path headerOnly = Files.writeString(tmp.resolve("header.csv"),
                String.join(",", slimbench.suite.ResultRow.COLUMNS) + "\r\n");
        Object[][] cases = {
            {new ReportCommand(), new Object[] {tmp.resolve("missing.csv")}, "missing.csv: no such file"},
            {new ReportCommand(), new Object[] {Fixtures.recorded("foreign.csv")}, "is neither a SlimBench results CSV"},
            {new ReportCommand(), new Object[] {empty}, "empty.csv is empty"},
            {new ReportCommand(), new Object[] {headerOnly, "--out", tmp}, "holds no result rows"},
            {new ReportCommand(), new Object[] {Fixtures.REFERENCE, "--machine", "tx2"}, "has no machine tx2"},
            {new DiffCommand(), new Object[] {Fixtures.run1(), tmp.resolve("missing.csv")}, "no such file"},
            {new DiffCommand(), new Object[] {Fixtures.run1(), Fixtures.recorded("foreign.csv")},
                "foreign.csv is neither"},
            {new DiffCommand(), new Object[] {Fixtures.run1(), Fixtures.recorded("other-model/results.csv")},
                "has no cell in common"},
            {new DiffCommand(), new Object[] {Fixtures.run1()}, "diff needs at least two runs"},
            {new DiffCommand(), new Object[] {"--baseline", "Z", Fixtures.run1(), Fixtures.run2()},
                "--baseline Z names no run; give a letter or a label: A = host-a/run1, B = host-a/run2"},
        };
        for (Object[] c : cases) {
            Outcome o = run(c[0], (Object[]) c[1]);
            assertEquals(2, o.exit(), o.err());
            assertTrue(o.err().startsWith("error: "), o.err());
            assertTrue(o.err().contains((String) c[2]), o.err());
            assertEquals(1, o.err().strip().lines().count(), "one line, no stack trace: " + o.err());
            assertEquals("", o.out());
        }
    }

    @Test
    void diffPrintsMarkdownOrCsvOrWritesAFile() throws IOException {
        Outcome md = run(new DiffCommand(), Fixtures.run1(), Fixtures.run2());
        assertEquals(0, md.exit(), md.err());
        assertTrue(md.out().startsWith("# SlimBench diff"), md.out());

        Outcome csv = run(new DiffCommand(), "--csv", Fixtures.run1(), Fixtures.run2());
        assertEquals(0, csv.exit(), csv.err());
        assertTrue(csv.out().startsWith(String.join(",", Diff.CSV_COLUMNS)), csv.out());

        Path file = tmp.resolve("diff.md");
        Outcome toFile = run(new DiffCommand(), Fixtures.run1(), Fixtures.run2(), "--out", file);
        assertEquals(0, toFile.exit(), toFile.err());
        assertEquals("", toFile.out());
        assertEquals(md.out(), Files.readString(file));
    }

    @Test
    void diffAgainstTheReferencePicksMachines() {
        Outcome all = run(new DiffCommand(), Fixtures.REFERENCE, Fixtures.run1());
        assertEquals(0, all.exit(), all.err());
        assertTrue(all.out().contains("**C** = host-a/run1"), all.out());

        Outcome one = run(new DiffCommand(), "--machine", "gtx1070", Fixtures.REFERENCE, Fixtures.run1());
        assertEquals(0, one.exit(), one.err());
        assertTrue(one.out().contains("**A** = blog-2019-tftrt/gtx1070"), one.out());
        assertTrue(one.out().contains("**B** = host-a/run1"), one.out());
        assertFalse(one.out().contains("jetson_nano"), one.out());
    }

    /** The "done when": the 2019 reference beside a run opens with where the run stands. */
    @Test
    void diffOfTheReferenceAndTheExampleRunOpensWithTheSummary() {
        Outcome o = run(new DiffCommand(), Fixtures.REFERENCE, Fixtures.OLD_DEFAULT);
        assertEquals(0, o.exit(), o.err());
        assertEquals(o.out().indexOf("## In short"), o.out().indexOf("\n## ") + 1, "the first section:\n" + o.out());
        int summary = o.out().indexOf("## Where this run stands");
        assertTrue(summary > 0, o.out());
        String table = o.out().substring(summary, o.out().indexOf("\n## ", summary + 1));
        assertTrue(table.contains("| model | precision | A | B | C | C/A | C/B |"), table);
        assertTrue(table.contains("| resnet_v1_50 | fp32 | 10 | 161 | 30.6 ± 2.02 | 3.06 | 0.19 |"), table);
        assertFalse(o.out().contains("### "), "the tables of every metric are --full's:\n" + o.out());
        Outcome full = run(new DiffCommand(), "--full", Fixtures.REFERENCE, Fixtures.OLD_DEFAULT);
        assertTrue(full.out().contains("### steady · avg (ms)"), full.out());

        Outcome nano = run(new DiffCommand(), "--full", "--baseline", "jetson_nano", Fixtures.REFERENCE,
                Fixtures.OLD_DEFAULT);
        assertEquals(0, nano.exit(), nano.err());
        assertTrue(nano.out().contains("| A | A/B | A/B verdict | B | C | C/B | C/B verdict |"), nano.out());
    }

    @Test
    void reportReplacesAnOldReportAtomically() throws IOException {
        Files.writeString(tmp.resolve("report.md"), "old");
        Files.copy(Fixtures.run1(), tmp.resolve("results.csv"), StandardCopyOption.REPLACE_EXISTING);
        assertEquals(0, run(new ReportCommand(), tmp.resolve("results.csv")).exit());
        assertTrue(Files.readString(tmp.resolve("report.md")).startsWith("# SlimBench report"));
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
    }
}
