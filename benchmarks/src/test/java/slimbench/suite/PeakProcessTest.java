package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import slimbench.engine.Roofline;
import slimbench.model.Precision;
import slimbench.model.RecordCodec;

/** The runner's roofline peaks of a thread count, measured in a JVM of their own (its pool, its size). */
class PeakProcessTest {
    @TempDir
    Path dir;

    @Test
    void aChildMeasuresThePeaksAndTheRunnerReadsThem() {
        Map<Precision, Double> peaks = PeakProcess.child(256, 2, 2).orElseThrow();
        assertTrue(peaks.getOrDefault(Precision.FP32, 0.0) > 0, peaks.toString());
    }

    @Test
    void thePeaksRoundTripThroughTheCodecAndAnUnrunnablePrecisionStaysAbsent() throws Exception {
        Path file = dir.resolve("peaks.answer");
        RecordCodec.write(file, new Roofline.Peaks(12.5, Double.NaN, 30.0));
        assertEquals(Map.of(Precision.FP32, 12.5, Precision.BF16, 30.0), PeakProcess.read(file));
    }

    @Test
    void aDamagedAnswerIsAnErrorNamingTheFileAndTheComponent() throws Exception {
        Path file = dir.resolve("peaks.answer");
        Files.writeString(file, "fp32=12.5\nfp16=oops\nbf16=30.0\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeakProcess.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("fp16 of Peaks is 'oops'"),
                e.getMessage());
        Files.writeString(file, "fp32=12.5\n");
        e = assertThrows(IllegalArgumentException.class, () -> PeakProcess.read(file));
        assertTrue(e.getMessage().contains("no fp16 for Peaks"), e.getMessage());
        Files.writeString(file, "fp32=NaN\nfp16=NaN\nbf16=NaN\n");
        e = assertThrows(IllegalArgumentException.class, () -> PeakProcess.read(file));
        assertTrue(e.getMessage().contains("measured no precision"), e.getMessage());
    }
}
