package slimbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import slimbench.model.Precision;
import slimbench.probe.CpuFeatures;

/** A oneDNN cap below a type's kernels makes that type unsupported, said before TensorFlow aborts. */
class OneDnnIsaTest {
    private static final CpuFeatures ZEN4 = CpuFeatures.of(List.of("avx2", "avx512f", "avx512_bf16"));
    private static final CpuFeatures SAPPHIRE_RAPIDS = CpuFeatures.of(List.of("avx2", "avx512f", "avx512_bf16",
            "avx512_fp16", "amx_bf16", "amx_tile"));

    @Test
    void bfloat16UnderAnAvx2CapIsUnsupportedWithTheReason() {
        Optional<String> r = OneDnnIsa.unrunnable(Precision.BF16, ZEN4, true, OneDnnIsa.parse("avx2"));
        assertTrue(r.orElseThrow().contains("AVX512_CORE") && r.get().contains("ONEDNN_MAX_CPU_ISA=AVX2"), r.get());
        assertEquals(Optional.empty(), OneDnnIsa.unrunnable(Precision.BF16, ZEN4, true, OneDnnIsa.parse("AVX512_CORE")));
        assertEquals(Optional.empty(), OneDnnIsa.unrunnable(Precision.FP32, ZEN4, true, OneDnnIsa.parse("SSE41")));
    }

    @Test
    void halfIsCappedOnlyWhereTensorFlowSendsItToOneDnn() {
        // without AVX512-FP16 half runs on Eigen, which no oneDNN cap touches
        assertEquals(Optional.empty(), OneDnnIsa.unrunnable(Precision.FP16, ZEN4, true, OneDnnIsa.parse("AVX2")));
        assertTrue(OneDnnIsa.unrunnable(Precision.FP16, SAPPHIRE_RAPIDS, true, OneDnnIsa.parse("AVX512_CORE_BF16")).isPresent());
        assertEquals(Optional.empty(), OneDnnIsa.unrunnable(Precision.FP16, SAPPHIRE_RAPIDS, true,
                OneDnnIsa.parse("AVX512_CORE_AMX")));
    }

    @Test
    void noCapOrNoOneDnnMeansNothingIsUnsupported() {
        assertEquals(Optional.empty(), OneDnnIsa.parse("ALL"));
        assertEquals(Optional.empty(), OneDnnIsa.parse(null));
        assertEquals(Optional.empty(), OneDnnIsa.unrunnable(Precision.BF16, ZEN4, true, Optional.empty()));
        assertEquals(Optional.empty(), OneDnnIsa.unrunnable(Precision.BF16, ZEN4, false, OneDnnIsa.parse("AVX2")));
    }
}
