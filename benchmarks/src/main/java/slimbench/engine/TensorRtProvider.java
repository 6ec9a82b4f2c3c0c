package slimbench.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import slimbench.model.Precision;
import slimbench.model.Variant;
import slimbench.probe.Jetson;

/**
 * {@code tftrt-fp16} on ONNX Runtime: the fp32 ONNX file through ONNX Runtime's TensorRT execution
 * provider with FP16 kernels allowed, what the 2019 TF-TRT FP16 conversion ({@link TfTrt}) is
 * today, with CUDA's provider after it for what TensorRT does not take and the CPU's last.
 *
 * <p>It needs the GPU build of ONNX Runtime ({@code onnxruntime_gpu}, in the jar built with
 * {@code -Pgpu}), which Maven Central publishes for linux x86-64 only; the libraries ONNX Runtime
 * 1.22 is built against (CUDA 12, cuDNN 9, TensorRT 10); and a GPU that CUDA finds. {@link #problem}
 * checks them in that order without making a session, so the reason a cell is UNSUPPORTED names
 * the first that is missing rather than ONNX Runtime's failure to create a provider.
 *
 * <p>The settings follow the 2019 conversion ({@code minimum_segment_size=50}, a 1 GiB workspace;
 * its {@code max_batch_size=1} is the model's own input shape here, {@code [1,S,S,3]}, which
 * TensorRT 10's explicit batch takes as given). Engines are cached beside the model's ONNX file:
 * a deployment builds them once, so the first cold start of a model builds them (minutes) and the
 * next ones read them.
 */
public final class TensorRtProvider {
    /** What a tftrt-fp16 cell computes in, for the accuracy guard's bound. */
    public static final Precision ARITHMETIC = Precision.FP16;

    /** Where a model's engines are cached: beside its ONNX file, one directory per file. */
    static final String ENGINES = ".trt";

    /**
     * What ONNX Runtime 1.22's TensorRT and CUDA providers load, each named for the message:
     * the driver first (without it nothing else matters), then the CUDA 12 libraries, cuDNN 9 and
     * TensorRT 10 (ONNX Runtime's TensorRT provider table: 1.22 is built with TensorRT 10.9, CUDA 12.0-12.8).
     * The list is the NEEDED entries of onnxruntime_gpu 1.22.0's libonnxruntime_providers_tensorrt.so and
     * _cuda.so ({@code readelf -d}) beyond glibc and libstdc++; the driver is loaded by the CUDA runtime.
     */
    static final List<Library> LIBRARIES = List.of(
            new Library("libcuda.so.1", "the NVIDIA driver"),
            new Library("libcudart.so.12", "the CUDA 12 runtime"),
            new Library("libcublas.so.12", "cuBLAS of CUDA 12"),
            new Library("libcublasLt.so.12", "cuBLASLt of CUDA 12"),
            new Library("libcurand.so.10", "cuRAND of CUDA 12"),
            new Library("libcufft.so.11", "cuFFT of CUDA 12"),
            new Library("libnvrtc.so.12", "NVRTC of CUDA 12"),
            new Library("libcudnn.so.9", "cuDNN 9"),
            new Library("libnvinfer.so.10", "TensorRT 10"),
            new Library("libnvinfer_plugin.so.10", "TensorRT 10's plugins"),
            new Library("libnvonnxparser.so.10", "TensorRT 10's ONNX parser"));

    /** A shared library by its soname, and what it is to a user reading why a cell did not run. */
    record Library(String soname, String what) {}

    private final Path engines;

    private TensorRtProvider(Path engines) {
        this.engines = engines;
    }

    /** The provider a cell of {@code variant} on the ONNX file {@code onnx} runs on; null for the CPU's. */
    public static TensorRtProvider of(Variant variant, Path onnx) {
        return variant == Variant.TFTRT_FP16 ? new TensorRtProvider(engineCache(onnx)) : null;
    }

    static Path engineCache(Path onnx) {
        return onnx.resolveSibling(onnx.getFileName() + ENGINES);
    }

    /** ONNX Runtime's TensorRT provider options, as they are given to it and recorded. */
    public Map<String, String> options() {
        return options(engines.toString());
    }

    private static Map<String, String> options(String engineCache) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("device_id", "0");
        m.put("trt_fp16_enable", "1");
        m.put("trt_min_subgraph_size", "50");
        m.put("trt_max_workspace_size", Long.toString(1L << 30));
        m.put("trt_engine_cache_enable", "1");
        m.put("trt_engine_cache_path", engineCache);
        return m;
    }

    /**
     * Puts TensorRT first and CUDA second among the session's providers (the CPU's is always
     * last). ONNX Runtime copies the options into the providers, so they are closed here.
     */
    void addTo(SessionOptions session) throws OrtException {
        try (OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(0);
             OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(0)) {
            for (var e : options().entrySet()) {
                trt.add(e.getKey(), e.getValue());
            }
            session.addTensorrt(trt);
            session.addCUDA(cuda);
        }
    }

    /**
     * What conditions.csv records for a run with tftrt-fp16 cells on ONNX Runtime: whether they
     * run here (or why not), the providers in order and the TensorRT options, the engine cache
     * being each model's own directory in {@code cache}.
     */
    public static Map<String, String> conditions(Path cache) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("ort.tensorrt", problem().map(reason -> "no: " + reason).orElse("yes: tftrt-fp16 cells run on it"));
        c.put("ort.tensorrt.providers", "TensorRT (fp16), then CUDA, then CPU");
        options(cache.toAbsolutePath() + "/{model}/fp32.onnx" + ENGINES).forEach((k, v) -> c.put("ort.tensorrt." + k, v));
        return c;
    }

    /** Why tftrt-fp16 cannot run on ONNX Runtime here, or empty when it can. */
    public static Optional<String> problem() {
        Optional<String> ort = OnnxRuntimeModel.loadProblem();
        if (ort.isPresent()) {
            return ort;
        }
        return problem(System.getProperty("os.arch"), Jetson.system(), OrtEnvironment.getAvailableProviders(),
                TensorRtProvider::dlopenError, TensorRtProvider::noGpu);
    }

    /**
     * The first of: a platform onnxruntime_gpu has no natives for (a Jetson says which), a CPU
     * build of ONNX Runtime, a library that does not load ({@code dlopen}'s error for its soname),
     * no GPU that CUDA finds.
     */
    static Optional<String> problem(String arch, Optional<Jetson> jetson, Set<OrtProvider> providers,
                                    Function<String, Optional<String>> dlopen, Supplier<Optional<String>> noGpu) {
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return Optional.of(jetson.map(j -> "GPU cell on " + j.release() + ": ").orElse("")
                    + "onnxruntime_gpu on Maven Central has natives for linux x86-64 only, none for " + arch
                    + ", so ONNX Runtime's TensorRT provider cannot run from this jar here");
        }
        if (!providers.contains(OrtProvider.TENSOR_RT)) {
            return Optional.of("this jar's ONNX Runtime is the CPU build (providers: " + names(providers)
                    + "), without the TensorRT provider: build the jar with -Pgpu (onnxruntime_gpu) for tftrt-fp16");
        }
        for (Library l : LIBRARIES) {
            Optional<String> error = dlopen.apply(l.soname());
            if (error.isPresent()) {
                return Optional.of("ONNX Runtime's TensorRT provider needs " + l.what() + " (" + l.soname()
                        + "), which does not load: " + error.get());
            }
        }
        return noGpu.get();
    }

    private static String names(Set<OrtProvider> providers) {
        return String.join(", ", providers.stream().map(OrtProvider::name).sorted().toList());
    }

    /**
     * dlopen's own error for {@code soname} (searched as the dynamic loader searches), or empty when
     * it loads. JNA's message is a header, then dlopen's error for each place it tried, the loader's
     * search first; a loaded library stays loaded, as ONNX Runtime would load it next.
     */
    static Optional<String> dlopenError(String soname) {
        try {
            NativeLibrary.getInstance(soname);
            return Optional.empty();
        } catch (UnsatisfiedLinkError e) {
            String[] lines = String.valueOf(e.getMessage()).split("\n");
            return Optional.of(lines.length > 1 ? lines[1] : lines[0]);
        }
    }

    /** The CUDA driver API, for whether it finds a GPU. */
    private interface Cuda extends com.sun.jna.Library {
        int cuInit(int flags);

        int cuDeviceGetCount(IntByReference count);

        int cuGetErrorString(int error, PointerByReference text);
    }

    /** Why the driver (loaded: {@link #LIBRARIES} checks it first) finds no GPU, or empty when it finds one. */
    private static Optional<String> noGpu() {
        Cuda cuda = Native.load("libcuda.so.1", Cuda.class);
        int status = cuda.cuInit(0);
        IntByReference count = new IntByReference();
        if (status == 0) {
            status = cuda.cuDeviceGetCount(count);
        }
        if (status != 0) {
            PointerByReference text = new PointerByReference();
            String why = cuda.cuGetErrorString(status, text) == 0 && text.getValue() != null
                    ? text.getValue().getString(0) : "CUDA error " + status;
            return Optional.of("CUDA finds no GPU: " + why + " (" + status + ")");
        }
        return count.getValue() > 0 ? Optional.empty() : Optional.of("CUDA finds no GPU (0 devices)");
    }
}
