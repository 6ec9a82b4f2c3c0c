package slimbench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import slimbench.model.Variant;
import slimbench.probe.Jetson;

/**
 * tftrt-fp16 on ONNX Runtime without a GPU: the detection names the first thing missing (the
 * platform, the GPU build, a library, a GPU), and the configuration is the 2019 conversion's.
 */
class TensorRtProviderTest {
    private static final Set<OrtProvider> GPU_BUILD = EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA, OrtProvider.TENSOR_RT);

    @Test
    void thisMachinesJarIsTheCpuBuildAndSaysHowToGetTheGpuOne() {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.TENSOR_RT),
                "the test classpath is the GPU build (-Pgpu)");
        assertEquals(Optional.of("this jar's ONNX Runtime is the CPU build (providers: CPU), "
                        + "without the TensorRT provider: build the jar with -Pgpu (onnxruntime_gpu) for tftrt-fp16"),
                TensorRtProvider.problem());
    }

    @Test
    void theFirstLibraryThatDoesNotLoadIsNamedWithDlopensError() {
        List<String> tried = new ArrayList<>();
        Function<String, Optional<String>> dlopen = soname -> {
            tried.add(soname);
            return soname.equals("libnvinfer.so.10")
                    ? Optional.of("libnvinfer.so.10: cannot open shared object file: No such file or directory")
                    : Optional.empty();
        };
        assertEquals(Optional.of("ONNX Runtime's TensorRT provider needs TensorRT 10 (libnvinfer.so.10), which does not "
                        + "load: libnvinfer.so.10: cannot open shared object file: No such file or directory"),
                TensorRtProvider.problem("amd64", Optional.empty(), GPU_BUILD, dlopen, () -> Optional.of("not asked")));
        List<String> upTo = TensorRtProvider.LIBRARIES.stream().map(TensorRtProvider.Library::soname).toList();
        assertEquals(upTo.subList(0, upTo.indexOf("libnvinfer.so.10") + 1), tried, "in order, stopping at the missing one");
    }

    @Test
    void withoutTheDriverNothingElseIsAskedAndWithEveryLibraryTheGpuDecides() {
        Function<String, Optional<String>> noDriver = soname -> Optional.of(soname + ": cannot open shared object file");
        assertEquals(Optional.of("ONNX Runtime's TensorRT provider needs the NVIDIA driver (libcuda.so.1), which does not "
                        + "load: libcuda.so.1: cannot open shared object file"),
                TensorRtProvider.problem("amd64", Optional.empty(), GPU_BUILD, noDriver, () -> Optional.of("not asked")));

        Function<String, Optional<String>> all = soname -> Optional.empty();
        assertEquals(Optional.of("CUDA finds no GPU (0 devices)"),
                TensorRtProvider.problem("amd64", Optional.empty(), GPU_BUILD, all, () -> Optional.of("CUDA finds no GPU (0 devices)")));
        assertEquals(Optional.empty(), TensorRtProvider.problem("amd64", Optional.empty(), GPU_BUILD, all, Optional::empty));
    }

    @Test
    void aJetsonIsToldThatMavenCentralsGpuBuildHasNoArmNatives() {
        Jetson nano = new Jetson(32, "7.1", "t210ref", Optional.of("NVIDIA Jetson Nano Developer Kit"));
        assertEquals(Optional.of("GPU cell on L4T R32.7.1 = JetPack 4: onnxruntime_gpu on Maven Central has natives for "
                        + "linux x86-64 only, none for aarch64, so ONNX Runtime's TensorRT provider cannot run from this jar here"),
                TensorRtProvider.problem("aarch64", Optional.of(nano), EnumSet.of(OrtProvider.CPU),
                        soname -> Optional.of("not asked"), () -> Optional.of("not asked")));
    }

    @Test
    void dlopenGivesItsOwnErrorForAMissingLibraryAndNoneForLibc() {
        assertEquals(Optional.empty(), TensorRtProvider.dlopenError("libc.so.6"));
        assertEquals(Optional.of("libslimbench-absent.so.1: cannot open shared object file: No such file or directory"),
                TensorRtProvider.dlopenError("libslimbench-absent.so.1"));
    }

    @Test
    void theProviderIsTheTwentyNineteenConversionAtFp16WithEnginesCachedBesideTheModel() {
        Path onnx = Path.of("/cache/resnet_v1_50/fp32.onnx");
        assertNull(TensorRtProvider.of(Variant.FP32, onnx), "fp32 runs on the CPU provider");
        Map<String, String> o = TensorRtProvider.of(Variant.TFTRT_FP16, onnx).options();
        assertEquals("1", o.get("trt_fp16_enable"));
        assertEquals("50", o.get("trt_min_subgraph_size"), "TfTrt's minimum_segment_size");
        assertEquals(Long.toString(1L << 30), o.get("trt_max_workspace_size"), "TfTrt's max_workspace_size_bytes");
        assertEquals("1", o.get("trt_engine_cache_enable"));
        assertEquals("/cache/resnet_v1_50/fp32.onnx.trt", o.get("trt_engine_cache_path"));
        assertEquals("0", o.get("device_id"));
    }

    @Test
    void theConditionsRecordWhetherItRunsTheProvidersAndEveryOption() {
        Map<String, String> c = TensorRtProvider.conditions(Path.of("/cache"));
        assertEquals(TensorRtProvider.problem().map(r -> "no: " + r).orElse("yes: tftrt-fp16 cells run on it"),
                c.get("ort.tensorrt"));
        assertEquals("TensorRT (fp16), then CUDA, then CPU", c.get("ort.tensorrt.providers"));
        assertEquals("1", c.get("ort.tensorrt.trt_fp16_enable"));
        assertEquals("/cache/{model}/fp32.onnx.trt", c.get("ort.tensorrt.trt_engine_cache_path"));
        assertTrue(c.keySet().containsAll(TensorRtProvider.of(Variant.TFTRT_FP16, Path.of("/m.onnx")).options().keySet()
                .stream().map(k -> "ort.tensorrt." + k).toList()), c.toString());
    }
}
