package slimbench.engine;

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

        assertEquals("GPU cell on L4T R32.7.1 = JetPack 4: TensorFlow Java's arm64 native has no CUDA; TensorFlow "
                + "2.18 needs CUDA 12 (JetPack 4 has 10.2) and no longer supports the Tegra X1's Maxwell GPU (Nano, "
                + "TX1: compute capability 5.3)", e.getMessage());
    }
}
