package slimbench.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuFeaturesTest {

    @Test
    void ryzenHasAvx512Bf16ButNoAmxOrFp16() {
        CpuFeatures f = CpuFeatures.read(Trees.roots(Trees.PC));
        assertTrue(f.hasAvx512Bf16());
        assertFalse(f.hasAmx());
        assertFalse(f.hasAvx512Fp16());
        assertFalse(f.hasArmFp16());
        assertTrue(f.has("avx2"));
    }

    @Test
    void nanoHasNoHalfPrecisionSimd() {
        CpuFeatures f = CpuFeatures.read(Trees.roots(Trees.JETSON_NANO));
        assertTrue(f.has("asimd"));
        assertFalse(f.hasArmFp16());
        assertFalse(f.hasAvx512Bf16());
    }

    @Test
    void sapphireRapidsAndOrinFlags() {
        CpuFeatures spr = CpuFeatures.of(List.of("avx2", "fma", "avx512f", "avx512_bf16", "avx512_fp16",
            "amx_bf16", "amx_tile", "amx_int8"));
        assertTrue(spr.hasAmx());
        assertTrue(spr.hasAvx512Fp16());
        assertEquals(List.of("avx2", "fma", "avx512f", "avx512_bf16", "avx512_fp16", "amx_bf16", "amx_tile"),
            spr.interesting());
        CpuFeatures orin = CpuFeatures.of(List.of("fp", "asimd", "fphp", "asimdhp", "asimddp"));
        assertTrue(orin.hasArmFp16());
        assertFalse(CpuFeatures.of(List.of("amx_tile")).hasAmx(), "tiles without bf16 are no bf16 AMX");
    }

    @Test
    void unreadableCpuinfoMeansNoFeatures(@TempDir Path dir) throws IOException {
        assertEquals(List.of(), CpuFeatures.read(Trees.empty(dir)).interesting());
        assertEquals(List.of(), CpuFeatures.read(Trees.roots(Trees.BROKEN)).interesting());
    }

    @Test
    void liveMachineAnswers() {
        CpuFeatures live = CpuFeatures.system();
        // Every x86-64 CPU a JVM 17 runs on has SSE2; every AArch64 CPU has ASIMD.
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            assertTrue(live.has("sse2"));
        } else if (arch.equals("aarch64")) {
            assertTrue(live.has("asimd"));
        }
    }
}
