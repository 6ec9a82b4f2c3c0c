package slimbench.tensorrt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import slimbench.engine.Images;
import slimbench.model.Generator;
import slimbench.model.Model;
import slimbench.model.OnnxForm;
import slimbench.model.Precision;
import slimbench.model.Scale;

/**
 * The ONNX form TensorRT is given ({@link OnnxForm#FLOAT_IMAGE}: a float32 image, opset 13) answers
 * as the default uint8 file does, on ONNX Runtime: the same graph but for the input's type.
 *
 * <p>How to run: {@code mvn test -Dtest=FloatImageTest}
 */
class FloatImageTest {
    @TempDir
    Path cache;

    @ParameterizedTest
    @EnumSource(value = Model.class, names = {"MOBILENET_V1", "INCEPTION_V3", "VGG_16", "RESNET_V2_50"})
    void theFloatImageAnswersAsTheUint8Image(Model model) throws Exception {
        int size = model.inputSize(Scale.TINY);
        byte[] pixels = Images.pixels(size, 0);
        Path uint8 = Generator.ensureOnnx(cache, model, Precision.FP32, Scale.TINY, 1).path();
        Path floats = Generator.ensureOnnx(cache, model, Precision.FP32, Scale.TINY, 1, OnnxForm.FLOAT_IMAGE).path();

        float[] expected = OnnxImage.probabilities(uint8, pixels, size);
        float[] actual = OnnxImage.probabilities(floats, TensorRtCell.floatImage(pixels), size);

        assertArrayEquals(expected, actual, 1e-6f);
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(floats.toString(), new OrtSession.SessionOptions())) {
            assertEquals("TensorInfo(javaType=FLOAT,onnxType=ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT,shape=[1, " + size + ", "
                    + size + ", 3])", s.getInputInfo().get(Model.INPUT).getInfo().toString());
        }
    }
}
