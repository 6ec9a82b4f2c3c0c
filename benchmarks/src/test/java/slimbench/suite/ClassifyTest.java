package slimbench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

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
    void aGpuCellOnAJetsonKeepsItsWholeReason() {
        String reason = "GPU cell on a Jetson (NVIDIA Jetson Nano Developer Kit, L4T R32.7.1 = JetPack 4 (Ubuntu 18.04, "
                + "CUDA 10.2)): TensorFlow Java's linux-arm64 native is built without CUDA; and TF-TRT needs TRTEngineOp";
        var o = CellProcess.classify(1, "# Run progress\njava.lang.UnsupportedOperationException: " + reason
                + "\n\tat slimbench.bench.TfTrt.requireSupported(TfTrt.java:40)\n");
        assertEquals(Status.UNSUPPORTED, o.status());
        assertEquals(reason, o.message());
    }

    @Test
    void anotherJmhRunHoldingTheLockIsSaidPlainly() {
        var o = CellProcess.classify(1, "Exception in thread \"main\" org.openjdk.jmh.runner.RunnerException: ERROR: "
                + "Another JMH instance might be running. Unable to acquire the JMH lock (/tmp/jmh.lock), exiting.\n");
        assertEquals(Status.ERROR, o.status());
        assertTrue(o.message().contains("another JMH benchmark was running"), o.message());
    }
}
