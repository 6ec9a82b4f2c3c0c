package slimbench.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Jetson generations read from recorded L4T trees: R32 (Nano), R35 (Xavier NX), R36 (Orin Nano), none. */
class JetsonTest {

    @Test
    void nanoOnJetPack4HasNoGpuCellsForCudaAndMaxwell() {
        Jetson j = Jetson.read(Trees.roots(Trees.JETSON_NANO)).orElseThrow();

        assertEquals("R32.7.1", j.l4t());
        assertEquals(Optional.of(JetPack.JETPACK_4), j.jetPack());
        assertEquals("t210ref", j.board());
        assertEquals(Optional.of("NVIDIA Jetson Nano Developer Kit"), j.model(), "the device tree's NUL is cut");
        assertEquals("JetPack 4 (Ubuntu 18.04, CUDA 10.2)", j.generation());
        assertEquals("NVIDIA Jetson Nano Developer Kit, L4T R32.7.1 = JetPack 4 (Ubuntu 18.04, CUDA 10.2)", j.describe());
        assertEquals("TensorFlow Java's arm64 native has no CUDA; TensorFlow 2.18 needs CUDA 12 (JetPack 4 has 10.2) "
                + "and no longer supports the Tegra X1's Maxwell GPU (Nano, TX1: compute capability 5.3)", j.gpuReason());
        assertEquals("L4T R32.7.1 = JetPack 4", j.release());
        assertTrue(j.cells().startsWith("on the CPU; GPU cells (tftrt-fp16) are recorded UNSUPPORTED: "), j.cells());
    }

    @Test
    void xavierOnJetPack5() {
        Jetson j = Jetson.read(Trees.roots("jetson-xavier-r35")).orElseThrow();

        assertEquals("R35.4.1", j.l4t());
        assertEquals("JetPack 5 (Ubuntu 20.04, CUDA 11.4)", j.generation());
        assertEquals("TensorFlow Java's arm64 native has no CUDA; TensorFlow 2.18 needs CUDA 12 (JetPack 5 has 11.4)",
                j.gpuReason(), "a Volta is not a Maxwell");
    }

    @Test
    void orinNanoOnJetPack6IsNotTakenForANano() {
        Jetson j = Jetson.read(Trees.roots("jetson-orin-r36")).orElseThrow();

        assertEquals("R36.4.0", j.l4t());
        assertEquals("generic", j.board());
        assertEquals("JetPack 6 (Ubuntu 22.04, CUDA 12)", j.generation());
        assertEquals(JetPack.NO_CUDA, j.gpuReason());
    }

    @Test
    void unknownReleaseIsNamedNotGuessed(@TempDir Path dir) throws IOException {
        Roots roots = Trees.empty(dir);
        Files.writeString(roots.etc().resolve("nv_tegra_release"),
                "# R34 (release), REVISION: 1.1, GCID: 30414990, BOARD: t186ref, EABI: aarch64, DATE: Tue May 17 04:20:55 UTC 2022\n");

        Jetson j = Jetson.read(roots).orElseThrow();

        assertEquals(Optional.empty(), j.jetPack());
        assertTrue(j.generation().contains("R34.1.1: a release this jar does not know"), j.generation());
        assertEquals(JetPack.NO_CUDA, j.gpuReason());
        assertEquals("L4T R34.1.1", j.release());
        assertEquals(Optional.empty(), j.model());
    }

    @Test
    void noJetsonWithoutAReleaseLine(@TempDir Path dir) throws IOException {
        assertEquals(Optional.empty(), Jetson.read(Trees.roots(Trees.PC)), "no nv_tegra_release");
        assertEquals(Optional.empty(), Jetson.read(Trees.roots(Trees.BROKEN)), "a release file without the release line");
        assertEquals(Optional.empty(), Jetson.read(Trees.empty(dir)));
    }

    @Test
    void conditionsCarryTheGeneration() {
        Map<String, String> c = RunConditions.collect(Trees.roots("jetson-xavier-r35"), command -> Optional.empty());
        assertEquals("R35.4.1", c.get("jetson.l4t"));
        assertEquals("JetPack 5 (Ubuntu 20.04, CUDA 11.4)", c.get("jetson.jetpack"));
        assertEquals("NVIDIA Jetson Xavier NX Developer Kit", c.get("jetson.model"));
        assertTrue(c.get("jetson.cells").endsWith("needs CUDA 12 (JetPack 5 has 11.4)"), c.get("jetson.cells"));

        Map<String, String> pc = RunConditions.collect(Trees.roots(Trees.PC), command -> Optional.empty());
        List<String> jetsonKeys = pc.keySet().stream().filter(k -> k.startsWith("jetson.")).toList();
        assertTrue(jetsonKeys.isEmpty(), jetsonKeys.toString());
    }
}
