package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import slimbench.engine.TfTrt;

/** How a cell's exit code and log become a status and a message. */
class ClassifyTest {
    @Test
    void aForkKilledBySignalIsKilled() {
        var o = CellProcess.classify(1, "Iteration   1: <forked VM failed with exit code 137>\n");
        assertEquals(Status.KILLED, o.status());
        assertTrue(o.message().contains("signal 9"), o.message());
    }

    @Test
    void javaOrTensorFlowOutOfMemoryIsOom() {
        assertEquals(Status.OOM, CellProcess.classify(1, "java.lang.OutOfMemoryError: Java heap space\n").status());
        assertEquals(Status.OOM, CellProcess.classify(1,
                "org.tensorflow.exceptions.TFResourceExhaustedException: OOM when allocating tensor\n").status());
    }

    @Test
    void aMissingOpIsUnsupportedWithItsReason() {
        var o = CellProcess.classify(1, "java.lang.UnsupportedOperationException: the graph needs op TRTEngineOp\n");
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

        var o = CellProcess.classify(1, "# Run progress\n" + e + "\n\tat slimbench.engine.TfTrt.requireSupported(TfTrt.java:40)\n");

        assertEquals(Status.UNSUPPORTED, o.status());
        assertEquals(e.getMessage(), o.message(), "not cut short");
    }

    @Test
    void anotherJmhRunHoldingTheLockIsSaidPlainly() {
        var o = CellProcess.classify(1, "Exception in thread \"main\" org.openjdk.jmh.runner.RunnerException: ERROR: "
                + "Another JMH instance might be running. Unable to acquire the JMH lock (/tmp/jmh.lock), exiting.\n");
        assertEquals(Status.ENVIRONMENT, o.status(), "the machine's failure, retried on resume");
        assertTrue(o.message().contains("another JMH benchmark was running"), o.message());
    }

    @Test
    void aFullDiskIsTheEnvironmentsFailureAndNamesThePath() {
        var o = CellProcess.classify(1, "Exception in thread \"main\" java.io.UncheckedIOException: cannot append "
                + "results to /mnt/small/run/logs/x.csv: No space left on device\n\tat slimbench.suite.ResultsCsv\n");
        assertEquals(Status.ENVIRONMENT, o.status());
        assertTrue(o.message().startsWith("the disk is full: ") && o.message().contains("/mnt/small/run/logs/x.csv"),
                o.message());
    }
}
