package slimbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import slimbench.cli.Cli.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TNumber;
import slimbench.model.Generator;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Scale;
import slimbench.suite.ResultRow;
import slimbench.suite.ResultsCsv;
import slimbench.suite.Status;
import slimbench.suite.Suites;

/**
 * Bad input given to the commands as a user would: each a clear one-line message and a non-zero
 * exit, never a stack trace, a JVM crash dump or a partial output file. The model files that
 * reach a cell are also recorded in the results with the same message.
 */
class BadInputTest {
    @TempDir
    static Path cache;

    @TempDir
    Path tmp;

    private static Path good;

    @BeforeAll
    static void generate() throws IOException {
        good = Generator.ensure(cache, Model.MOBILENET_V1, Precision.FP32, Optimize.AT_LOAD, Scale.TINY, 1).path();
    }

    @AfterEach
    void nothingLeft() throws Exception {
        Suites.assertNoDescendants();
        Suites.assertNoCrashDump(tmp, Path.of("").toAbsolutePath());
    }

    private static Outcome run(Object... args) {
        return Cli.run(args);
    }

    /** {@code run --model-file}: the cell is recorded as ERROR and the command says why, exiting 2. */
    private Outcome runModelFile(Path file) throws IOException {
        Path reports = tmp.resolve("reports");
        Outcome o = run("run", "--model-file", file, "--preset", "quick", "--scale", "tiny", "--variants", "fp32",
                "--optimize", "at-load", "--modes", "cold", "--no-probes", "--out", reports);
        assertEquals(2, o.exit(), o.err());
        assertTrue(o.err().startsWith("error: no cell could run " + file + ": "), o.err());
        assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
        try (Stream<Path> csvs = Files.walk(reports).filter(p -> p.endsWith("results.csv"))) {
            List<Path> found = csvs.toList();
            assertEquals(1, found.size());
            List<ResultRow> rows = ResultsCsv.read(found.get(0));
            assertEquals(1, rows.size(), rows.toString());
            assertEquals(Status.ERROR, rows.get(0).status(), rows.toString());
            assertTrue(o.err().contains(rows.get(0).message()), "the CSV says the same: " + rows.get(0).message());
            System.out.println("outcome " + file.getFileName() + ": exit " + o.exit() + ", " + o.err().strip());
        }
        return o;
    }

    @Test
    void aTruncatedModelFile() throws IOException {
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(tmp.resolve("truncated.pb"), Arrays.copyOf(bytes, bytes.length / 2));
        Outcome o = runModelFile(truncated);
        assertTrue(o.err().contains(truncated + " is not a TensorFlow GraphDef (.pb): "), o.err());
    }

    @Test
    void aModelFileOfRandomBytes() throws IOException {
        byte[] bytes = new byte[100_000];
        new Random(42).nextBytes(bytes);
        Path random = Files.write(tmp.resolve("random.pb"), bytes);
        Outcome o = runModelFile(random);
        assertTrue(o.err().contains(random + " is not a TensorFlow GraphDef (.pb): "), o.err());
    }

    @Test
    void aModelWhoseInputIsNotUint8Images() throws IOException {
        Path floats = graph(tmp.resolve("float-input.pb"), TFloat32.class, Shape.of(1, 32, 32, 3));
        Outcome o = runModelFile(floats);
        assertTrue(o.err().contains("input 'input' is DT_FLOAT; expected DT_UINT8 images [1,S,S,3]"), o.err());
    }

    @Test
    void aModelWhoseInputSizeIsUnknown() throws IOException {
        Path unknown = graph(tmp.resolve("unknown-size.pb"), TUint8.class, Shape.of(1, -1, -1, 3));
        Outcome o = runModelFile(unknown);
        assertTrue(o.err().contains("input 'input' has shape [1, -1, -1, 3]; expected [1,S,S,3] with S known"),
                o.err());
    }

    @Test
    void badNamesAndContradictoryOptionsExitWithTwo() throws IOException {
        Object[][] cases = {
            {new Object[] {"run", "--models", "resnet_v9"}, "unknown model 'resnet_v9'; valid: mobilenet_v1, "},
            {new Object[] {"run", "--variants", "fp8"}, "unknown variant 'fp8'; valid: fp32, fp16, bf16, tftrt-fp16"},
            {new Object[] {"run", "--preset", "huge"}, "unknown preset 'huge'; valid: quick, default, full, diligent, nano"},
            {new Object[] {"run", "--modes", "warm"}, "unknown mode 'warm'; valid: cold, steady"},
            {new Object[] {"run", "--runtimes", "onnx"}, "unknown runtime 'onnx'; valid: tensorflow, onnxruntime"},
            {new Object[] {"run", "--runtimes", "tensorflow,tensorflow"}, "--runtimes lists tensorflow twice"},
            {new Object[] {"run", "--model-file", good, "--models", "mobilenet_v1"},
                "--model-file and --models contradict each other: give one"},
            {new Object[] {"run", "--model-file", tmp.resolve("missing.pb")}, "does not exist"},
            {new Object[] {"run", "--memory-limit", "lots"}, "memory size 'lots' is not a positive size"},
            {new Object[] {"run", "--resume", tmp}, "holds no results.csv to resume"},
            {new Object[] {"run", "--cell-timeout", "0"}, "--cell-timeout must be positive"},
            {new Object[] {"run", "--cell-timeout", "9223372036854775807"},
                "--cell-timeout 9223372036854775807 is out of range: at most 604800 seconds (a week)"},
            {new Object[] {"run", "--memory-limit", "1"}, "--memory-limit 1 is under 64 MiB"},
            {new Object[] {"run", "--memory-limit", "99999t"},
                "--memory-limit 99999t is more than this machine's memory plus swap ("},
            {new Object[] {"run", "--models", "mobilenet_v1,inception_v1,mobilenet_v1"},
                "--models lists mobilenet_v1 twice"},
            {new Object[] {"run", "--threads", "1,1"}, "--threads lists 1 twice"},
            {new Object[] {"run", "--model-file", Files.createFile(tmp.resolve("empty.pb"))},
                "--model-file " + tmp.resolve("empty.pb") + " is empty (0 bytes)"},
            {new Object[] {"run", "--model-file", "/dev/zero"}, "--model-file /dev/zero is not a regular file (a device or a pipe)"},
            {new Object[] {"run", "--model-file", Files.createDirectories(tmp.resolve("not-a-savedmodel"))},
                "is a directory without saved_model.pb"},
            {new Object[] {"run", "--retry-failed"}, "--retry-failed re-runs the failed cells of a run: give it with --resume DIR"},
            {new Object[] {"generate", "--model", "mobilenet_v1", "--scale", "tiny", "--width", "0.5"},
                "--scale and --input-size/--width/--classes say the same thing: give one"},
        };
        for (Object[] c : cases) {
            Object[] args = Stream.concat(Arrays.stream((Object[]) c[0]), Stream.of("--out", tmp.resolve("reports")))
                    .toArray();
            Outcome o = run(args);
            assertEquals(2, o.exit(), Arrays.toString(args) + ": " + o.err());
            assertTrue(o.err().startsWith("error: ") && o.err().contains((String) c[1]), o.err());
            assertEquals(1, o.err().strip().lines().count(), "one line, no stack trace: " + o.err());
            System.out.println("outcome " + Arrays.toString((Object[]) c[0]) + ": exit 2, " + o.err().strip());
        }
        assertTrue(!Files.exists(tmp.resolve("reports")), "nothing written for bad input");
    }

    @Test
    void anOutputRootBelowAFileExitsWithOne() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Outcome o = run("run", "--models", "mobilenet_v1", "--variants", "fp32", "--scale", "tiny",
                "--cache", cache, "--out", file.resolve("below"));
        assertEquals(1, o.exit(), o.err());
        assertTrue(o.err().startsWith("error: cannot create the run directory " + file.resolve("below")), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertEquals("x", Files.readString(file));
        System.out.println("outcome --out below a file: exit 1, " + o.err().strip());
    }

    @Test
    void malformedAndForeignCsvsLeaveNoPartialReport() throws IOException {
        Path foreign = Files.writeString(tmp.resolve("foreign.csv"), "name,age\r\nada,36\r\n");
        Path malformed = Files.writeString(tmp.resolve("malformed.csv"),
                String.join(",", ResultRow.REQUIRED) + "\r\nmobilenet_v1,fp32,at-load,zero,cold,total,1,,ms,1,OK,,\r\n");
        Path outDir = Files.createDirectories(tmp.resolve("report"));
        List<String> errors = new ArrayList<>();
        for (Object[] args : List.of(new Object[] {"report", foreign, "--out", outDir},
                new Object[] {"report", malformed, "--out", outDir},
                new Object[] {"diff", malformed, foreign, "--out", outDir.resolve("diff.md")})) {
            Outcome o = run(args);
            assertEquals(2, o.exit(), o.err());
            assertTrue(o.err().startsWith("error: "), o.err());
            assertEquals(1, o.err().strip().lines().count(), o.err());
            errors.add(o.err().strip());
        }
        try (Stream<Path> left = Files.list(outDir)) {
            assertEquals(List.of(), left.toList(), "no partial report, chart or temp file");
        }
        errors.forEach(e -> System.out.println("outcome report/diff: exit 2, " + e));
    }

    @Test
    void reportAndDiffNameTheRealProblemOfAResultsFile() throws IOException {
        // Files as runs before the runtime column wrote them: every one must still be read, and its problem named.
        String header = String.join(",", ResultRow.REQUIRED) + "\r\n";
        String ok = "mobilenet_v1,fp32,at-load,0,cold,total,1.5,,ms,1,OK,,none\r\n";
        Path bom = Files.writeString(tmp.resolve("bom.csv"), "\uFEFF" + header + ok);
        Path nan = Files.writeString(tmp.resolve("nan.csv"), header + ok
                + "mobilenet_v1,fp32,at-load,0,steady,avg,NaN,,ms,1,OK,,none\r\n");
        Path huge = Files.writeString(tmp.resolve("huge.csv"), header + ok + ok
                + "mobilenet_v1,fp32,at-load,0,steady,avg,1e400,,ms,1,OK,,none\r\n");
        Path negative = Files.writeString(tmp.resolve("negative.csv"), header
                + "mobilenet_v1,fp32,at-load,0,steady,avg,-2,,ms,1,OK,,none\r\n");
        Path runDir = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(runDir.resolve("results.csv"), header + ok);
        Path outDir = Files.createDirectories(tmp.resolve("report"));
        Object[][] cases = {
            {bom, "bom.csv starts with a UTF-8 byte-order mark"},
            {nan, "nan.csv line 3: an OK row of mobilenet_v1/fp32/at-load/0/steady avg has the score NaN, not a finite number"},
            {huge, "huge.csv line 4: an OK row of mobilenet_v1/fp32/at-load/0/steady avg has the score Infinity, not a finite number"},
            {negative, "negative.csv line 2: an OK row of mobilenet_v1/fp32/at-load/0/steady avg has the score -2.0, a negative ms"},
            {runDir, runDir + " is a directory: give its results.csv, " + runDir.resolve("results.csv")},
            {Path.of("/dev/zero"), "/dev/zero is not a regular file (a device or a pipe), not a results CSV"},
        };
        for (Object[] c : cases) {
            for (Outcome o : List.of(run("report", c[0], "--out", outDir),
                    run("diff", c[0], runDir.resolve("results.csv"), "--out", outDir.resolve("diff.md")))) {
                assertEquals(2, o.exit(), c[0] + ": " + o.err());
                assertTrue(o.err().startsWith("error: ") && o.err().contains((String) c[1]), o.err());
                assertEquals(1, o.err().strip().lines().count(), o.err());
            }
            System.out.println("outcome report " + c[0] + ": exit 2, " + c[1]);
        }
        try (Stream<Path> left = Files.list(outDir)) {
            assertEquals(List.of(), left.toList(), "no partial report");
        }
    }

    /** A classifier-shaped graph (input -> scores) whose input placeholder has the given type and shape. */
    private static <T extends TNumber> Path graph(Path file, Class<T> type, Shape shape) throws IOException {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            var input = tf.withName(Model.INPUT).placeholder(type, Placeholder.shape(shape));
            var pooled = tf.math.mean(tf.dtypes.cast(input, TFloat32.class), tf.constant(new int[] {1, 2}));
            tf.withName(Model.OUTPUT).nn.softmax(pooled);
            Files.write(file, g.toGraphDef().toByteArray());
        }
        return file;
    }
}
