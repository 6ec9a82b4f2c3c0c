package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.BenchmarkException;
import org.openjdk.jmh.runner.RunnerException;
import org.tensorflow.exceptions.TFResourceExhaustedException;
import slimbench.engine.TfTrt;
import slimbench.model.RecordCodec;

/** How a cell's process says how it ended (its {@code Outcome}), and what its exit code alone says. */
class ClassifyTest {
    @TempDir
    Path dir;

    /** As JMH's host hands a fork's failure to the cell: its exception, wrapped. */
    private static Throwable fromFork(Throwable e) {
        return new RunnerException("Benchmark caught the exception", new BenchmarkException(e));
    }

    @Test
    void aForkKilledBySignalIsKilled() {
        var o = CellProcess.Outcome.of(fromFork(new IllegalStateException("Forked VM failed with exit code 137")));
        assertEquals(Status.KILLED, o.status());
        assertTrue(o.message().contains("signal 9"), o.message());
        assertEquals(Status.ERROR, CellProcess.Outcome.of(
                fromFork(new IllegalStateException("Forked VM failed with exit code 1"))).status());
    }

    @Test
    void javaOrTensorFlowOutOfMemoryIsOom() {
        assertEquals(Status.OOM, CellProcess.Outcome.of(fromFork(new OutOfMemoryError("Java heap space"))).status());
        assertEquals(Status.OOM, CellProcess.Outcome.of(
                fromFork(new TFResourceExhaustedException("OOM when allocating tensor"))).status());
    }

    @Test
    void aMissingOpIsUnsupportedWithItsReason() {
        var o = CellProcess.Outcome.of(fromFork(new UnsupportedOperationException("the graph needs op TRTEngineOp")));
        assertEquals(Status.UNSUPPORTED, o.status());
        assertEquals("the graph needs op TRTEngineOp", o.message());
    }

    @Test
    void aGpuCellOnAJetsonKeepsItsWholeReason() throws Exception {
        // The reason as the cell's JVM makes it on a recorded Jetson Nano, through the properties a fork reads.
        String tree = Path.of(ClassifyTest.class.getResource("/probe/jetson-nano").toURI()).toString();
        String before = System.getProperty("slimbench.etc");
        System.setProperty("slimbench.etc", tree + "/etc");
        UnsupportedOperationException e;
        try {
            e = assertThrows(UnsupportedOperationException.class, TfTrt::requireSupported);
        } finally {
            if (before == null) {
                System.clearProperty("slimbench.etc");
            } else {
                System.setProperty("slimbench.etc", before);
            }
        }
        assertTrue(e.getMessage().startsWith("GPU cell on L4T R32.7.1 = JetPack 4: "), e.getMessage());

        var o = CellProcess.Outcome.of(fromFork(e));

        assertEquals(Status.UNSUPPORTED, o.status());
        assertEquals(e.getMessage(), o.message(), "not cut short");
    }

    @Test
    void anotherJmhRunHoldingTheLockIsSaidPlainly() {
        var o = CellProcess.Outcome.of(new RunnerException("ERROR: Another JMH instance might be running. "
                + "Unable to acquire the JMH lock (/tmp/jmh.lock), exiting."));
        assertEquals(Status.ENVIRONMENT, o.status(), "the machine's failure, retried on resume");
        assertTrue(o.message().contains("another JMH benchmark was running"), o.message());
    }

    @Test
    void aFullDiskIsTheEnvironmentsFailureAndNamesThePath() {
        var o = CellProcess.Outcome.of(new UncheckedIOException("cannot append results to /mnt/small/run/logs/x.csv: "
                + "No space left on device", new IOException("No space left on device")));
        assertEquals(Status.ENVIRONMENT, o.status());
        assertTrue(o.message().startsWith("the disk is full: ") && o.message().contains("/mnt/small/run/logs/x.csv"),
                o.message());
    }

    @Test
    void theExitCodeAloneSaysOkKilledOrThatTheCellSaidNothing() {
        assertEquals(Status.OK, CellProcess.classify(0).status());
        var killed = CellProcess.classify(137);
        assertEquals(Status.KILLED, killed.status());
        assertTrue(killed.message().contains("signal 9"), killed.message());
        var silent = CellProcess.classify(1);
        assertEquals(Status.ERROR, silent.status());
        assertTrue(silent.message().contains("code 1 without saying why"), silent.message());
    }

    @Test
    void anOutcomeCrossesTheCodecWhole() throws Exception {
        Path file = dir.resolve("x.outcome");
        var o = CellProcess.Outcome.of(fromFork(new UnsupportedOperationException("no fp16 kernels\non this CPU")));
        RecordCodec.write(file, o);
        assertEquals(new CellProcess.Outcome(Status.UNSUPPORTED, "no fp16 kernels on this CPU"),
                RecordCodec.read(file, CellProcess.Outcome.class));
    }
}
