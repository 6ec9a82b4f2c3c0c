package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Variant;

/** A results file is read into typed cells at its edge, and written back from them as it was. */
class ResultsCsvTest {
    @TempDir
    Path tmp;

    /**
     * Files SlimBench wrote (tests run from the project's top directory): the example of two
     * runtimes, and a run from before the runtime, threads_budget and forks columns.
     */
    @ParameterizedTest
    @ValueSource(strings = {"reports/example/results.csv",
        "benchmarks/src/test/resources/report/default-xeon-2026-11-24/results.csv"})
    void aWrittenFileReadAndWrittenAgainIsTheSameBytes(String file) throws IOException {
        byte[] recorded = Files.readAllBytes(Path.of(file));
        int header = indexOf(recorded, (byte) '\n') + 1;
        Path copy = Files.write(tmp.resolve("results.csv"), Arrays.copyOf(recorded, header)); // its own header
        List<ResultRow> rows = ResultsCsv.read(Path.of(file));
        ResultsCsv.append(copy, rows);
        assertArrayEquals(recorded, Files.readAllBytes(copy), file);
    }

    /** The labels are the registry's types; a model the zoo does not hold is a user's file. */
    @Test
    void labelsAreReadIntoTheirTypes() throws IOException {
        Path csv = tmp.resolve("results.csv");
        ResultsCsv.append(csv, List.of(row(Cell.named("my_model.pb", Variant.FP16, Optimize.AHEAD, 2, Mode.STEADY,
                Engine.ONNXRUNTIME, 4)), row(new Cell(Model.VGG_16, Variant.FP32, Optimize.AT_LOAD, 4, Mode.COLD))));
        List<ResultRow> rows = ResultsCsv.read(csv);
        Cell user = rows.get(0).cell();
        assertNull(user.model());
        assertEquals("my_model.pb", user.name());
        assertEquals(Engine.ONNXRUNTIME, user.runtime());
        assertEquals(4, user.budget());
        assertEquals(2, user.threads());
        assertEquals(new Cell(Model.VGG_16, Variant.FP32, Optimize.AT_LOAD, 4, Mode.COLD), rows.get(1).cell());
    }

    /** A label this build does not know is a malformed row, named with its line and the valid spellings. */
    @Test
    void anUnknownLabelIsNamedWithItsLine() throws IOException {
        Path csv = Files.writeString(tmp.resolve("results.csv"), String.join(",", ResultRow.REQUIRED) + "\r\n"
                + "vgg_16,fp32,at-load,4,cold,total,1.5,,ms,1,OK,,none\r\n"
                + "vgg_16,int4,at-load,4,cold,total,1.5,,ms,1,OK,,none\r\n");
        var e = assertThrows(IllegalArgumentException.class, () -> ResultsCsv.read(csv));
        assertTrue(e.getMessage().contains("line 3: malformed row (unknown variant 'int4'; valid: fp32, fp16, bf16, "
                + "tftrt-fp16)"), e.getMessage());
    }

    private static ResultRow row(Cell cell) {
        return new ResultRow(cell, "total", 1.5, Double.NaN, "ms", 1, Status.OK, "", "none");
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
