package slimbench.engine;

import com.google.protobuf.ByteString;
import java.util.Optional;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.RewriterConfig;
import slimbench.model.Optimize;
import slimbench.probe.Jetson;

/**
 * TF-TRT FP16 as the 2019 experiment converted it ({@code TrtGraphConverter(precision_mode=FP16,
 * minimum_segment_size=50, max_batch_size=1)}), expressed as TensorFlow's TensorRT rewriter in the
 * session's Grappler configuration. Engines are built at the first run ({@code is_dynamic_op=True})
 * for {@code at-load}, and while optimising the graph at session start for {@code ahead}.
 */
public final class TfTrt {
    /** The op every TF-TRT graph runs its engines in. */
    public static final String ENGINE_OP = "TRTEngineOp";

    private TfTrt() {}

    public static RewriterConfig rewriterConfig(Optimize optimize) {
        return RewriterConfig.newBuilder()
                .addCustomOptimizers(RewriterConfig.CustomGraphOptimizer.newBuilder()
                        .setName("TensorRTOptimizer")
                        .putParameterMap("precision_mode", string("FP16"))
                        .putParameterMap("minimum_segment_size", integer(50))
                        .putParameterMap("max_batch_size", integer(1))
                        .putParameterMap("is_dynamic_op", AttrValue.newBuilder()
                                .setB(optimize == Optimize.AT_LOAD).build())
                        .putParameterMap("max_workspace_size_bytes", integer(1L << 30)))
                .build();
    }

    /** Throws {@link UnsupportedOperationException} with the reason when the runtime has no TensorRT. */
    public static void requireSupported() {
        requireSupported(Jetson.system());
    }

    /**
     * On a Jetson the reason is why its GPU is out of reach (no CUDA in the arm64 native, and what
     * TensorFlow 2.18 lacks for that JetPack), which a missing op would not tell its owner; without
     * CUDA there is no TensorRT either.
     */
    static void requireSupported(Optional<Jetson> jetson) {
        if (!TensorFlowRuntime.hasTensorRt()) {
            throw new UnsupportedOperationException(jetson
                    .map(j -> "GPU cell on " + j.release() + ": " + j.gpuReason())
                    .orElse("TF-TRT needs " + ENGINE_OP + ", which this TensorFlow runtime ("
                            + TensorFlowRuntime.tensorflowVersion() + ", " + TensorFlowRuntime.nativePlatform() + ") does not register"));
        }
    }

    private static AttrValue string(String s) {
        return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(s)).build();
    }

    private static AttrValue integer(long i) {
        return AttrValue.newBuilder().setI(i).build();
    }
}
