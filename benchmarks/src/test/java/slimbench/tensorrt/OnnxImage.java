package slimbench.tensorrt;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import slimbench.model.Model;

/**
 * One NHWC image through an ONNX file on ONNX Runtime's CPU provider, in the file's input type
 * (uint8, or the float32 of {@code OnnxForm.FLOAT_IMAGE}): what the fake trtexec computes its
 * output with, and what the export's tests compare the two forms by.
 */
final class OnnxImage {
    private OnnxImage() {}

    /** The file's output for an image's raw bytes: uint8 pixels, or float32 little-endian values. */
    static float[] probabilities(Path onnx, byte[] raw, int size) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(onnx.toString(), o)) {
            boolean floats = session.getInputInfo().get(Model.INPUT).getInfo().toString().contains("FLOAT");
            long[] shape = {1, size, size, 3};
            try (OnnxTensor input = floats
                    ? OnnxTensor.createTensor(env, ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer(), shape)
                    : OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(raw.length).put(raw).rewind(), shape,
                            OnnxJavaType.UINT8);
                 OrtSession.Result r = session.run(java.util.Map.of(Model.INPUT, input))) {
                OnnxValue v = r.get(Model.OUTPUT).orElseThrow();
                FloatBuffer out = ((OnnxTensor) v).getFloatBuffer();
                float[] p = new float[out.remaining()];
                out.get(p);
                return p;
            }
        }
    }
}
