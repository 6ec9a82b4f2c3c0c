package slimbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import slimbench.probe.Jetson;
import slimbench.probe.Roots;

/** Why a tftrt-fp16 cell is UNSUPPORTED, on a PC and on a recorded Jetson Nano (JetPack 4). */
class TfTrtTest {

    private static Roots tree(String name) throws URISyntaxException {
        return Roots.under(Path.of(TfTrtTest.class.getResource("/probe/" + name).toURI()));
    }

    @Test
    void elsewhereTheReasonIsTheMissingOp() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> TfTrt.requireSupported(Optional.empty()));
        assertTrue(e.getMessage().startsWith("TF-TRT needs TRTEngineOp, which this TensorFlow runtime ("), e.getMessage());
    }

    @Test
    void onAJetsonNanoTheReasonIsItsGpu() throws URISyntaxException {
        Optional<Jetson> nano = Jetson.read(tree("jetson-nano"));

        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> TfTrt.requireSupported(nano));

        assertEquals("GPU cell on a Jetson (NVIDIA Jetson Nano Developer Kit, L4T R32.7.1 = JetPack 4 (Ubuntu 18.04, "
                + "CUDA 10.2)): TensorFlow Java's linux-arm64 native is built without CUDA, and TensorFlow 2.18 is "
                + "built for CUDA 12, not JetPack 4's CUDA 10.2; TensorFlow 2.18 no longer supports Maxwell GPUs such "
                + "as the Tegra X1's (Jetson Nano, TX1: compute capability 5.3); and TF-TRT needs TRTEngineOp, which "
                + "this TensorFlow runtime (" + Runtime.tensorflowVersion() + ", " + Runtime.nativePlatform()
                + ") does not register", e.getMessage());
    }
}
