package slimbench.fakeengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import slimbench.cli.Cli;
import slimbench.engine.Engines;
import slimbench.suite.Conditions;
import slimbench.suite.ResultRow;
import slimbench.suite.ResultsCsv;
import slimbench.suite.Status;

/**
 * A runtime added from outside every package of the jar: {@link FakeEngine}, registered as a
 * service on the test class path, runs a tiny cold cell beside TensorFlow's through {@code run}
 * (its cell process and JMH fork find it as they find the jar's own), and {@code report} and
 * {@code diff} show it as a runtime of its own, by its title.
 */
class FakeEngineTest {
    @TempDir
    Path tmp;

    @Test
    void theRegistryFindsItAfterTheJarsOwnEngines() {
        assertEquals(FakeEngine.TITLE, Engines.of("fake").title());
        assertEquals(List.of("tensorflow", "onnxruntime", "tensorrt", "fake"),
                Engines.all().stream().map(e -> e.name().label()).toList());
        var unknown = Cli.run("run", "--runtimes", "nothing");
        assertEquals(2, unknown.exit());
        assertEquals("error: unknown runtime 'nothing'; valid: tensorflow, onnxruntime, tensorrt, fake",
                unknown.err().strip());
    }

    @Test
    void aFakeCellRunsAndIsReportedAndDiffedAsARuntimeOfItsOwn() throws Exception {
        Path root = tmp.resolve("reports");
        Cli.Outcome run = Cli.run("run", "--preset", "quick", "--scale", "tiny", "--models", "mobilenet_v1",
                "--variants", "fp32", "--optimize", "ahead", "--modes", "cold", "--runtimes", "tensorflow,fake",
                "--threads", "1", "--forks", "1", "--no-probes", "--cache", tmp.resolve("cache"), "--out", root);
        assertEquals(0, run.exit(), run.out() + run.err());
        Path results;
        try (Stream<Path> s = Files.walk(root)) {
            results = s.filter(p -> p.endsWith("results.csv")).findFirst().orElseThrow();
        }
        List<ResultRow> rows = ResultsCsv.read(results);
        List<ResultRow> fake = rows.stream().filter(r -> r.runtime().label().equals("fake")).toList();
        assertTrue(fake.stream().allMatch(r -> r.status() == Status.OK), rows.toString());
        Set<String> metrics = fake.stream().map(ResultRow::metric).collect(Collectors.toSet());
        assertTrue(metrics.containsAll(Set.of("total", "first_inference", "read")), metrics.toString());
        assertTrue(fake.stream().anyMatch(r -> r.metric().equals("first_inference") && r.score() > 0), fake.toString());
        assertTrue(rows.stream().anyMatch(r -> r.runtime().label().equals("tensorflow") && r.status() == Status.OK),
                rows.toString());
        assertEquals("1", Conditions.read(results.resolveSibling("conditions.csv")).get("fake.version"));

        Cli.Outcome report = Cli.run("report", results, "--out", tmp.resolve("report"));
        assertEquals(0, report.exit(), report.err());
        String md = Files.readString(tmp.resolve("report/report.md"));
        assertTrue(md.contains("\n# TensorFlow\n") && md.contains("\n# " + FakeEngine.TITLE + "\n"), md);
        assertTrue(md.lines().anyMatch(l -> l.contains("| " + FakeEngine.TITLE + " |") && l.contains("cold total")),
                md);

        Path diffFile = tmp.resolve("diff.md");
        Cli.Outcome diff = Cli.run("diff", results, "--out", diffFile);
        assertEquals(0, diff.exit(), diff.err());
        String text = Files.readString(diffFile);
        assertTrue(text.contains("(tensorflow)") && text.contains("(fake)"), text);
        assertTrue(text.contains(FakeEngine.TITLE + " against TensorFlow"), text);
    }
}
