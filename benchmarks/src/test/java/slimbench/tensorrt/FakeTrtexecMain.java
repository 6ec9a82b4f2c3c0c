package slimbench.tensorrt;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import slimbench.model.Model;

/**
 * The fake trtexec's inference (test resource {@code trtexec/fake-trtexec.sh}): the ONNX file on
 * ONNX Runtime's CPU provider with the {@code --loadInputs} file as its input, so the output a
 * {@code tensorrt} cell checks is a real computation of its model. With {@code --fp16} each output
 * is rounded to half precision, as an engine's FP16 output would be.
 *
 * <p>Arguments: {@code ONNX INPUT_FILE FP16(true|false) VERSION}. Prints the input's and the
 * output's dimensions ({@code 1x75x75x3}, {@code 1x10}), then one output value per line; on a
 * wrong input size, TensorRT 8.5's and later's message on standard error and exit 2 (8.2 reads
 * what it finds).
 */
public final class FakeTrtexecMain {
    private FakeTrtexecMain() {}

    public static void main(String[] a) throws Exception {
        Path onnx = Path.of(a[0]);
        Path input = Path.of(a[1]);
        boolean fp16 = Boolean.parseBoolean(a[2]);
        boolean checksSize = !a[3].equals("8.2");
        long[] in;
        long[] out;
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            in = ((TensorInfo) s.getInputInfo().get(Model.INPUT).getInfo()).getShape();
            out = ((TensorInfo) s.getOutputInfo().get(Model.OUTPUT).getInfo()).getShape();
        }
        int bytes = (int) Arrays.stream(in).reduce(1, (x, y) -> x * y) * Float.BYTES;
        byte[] raw = Files.readAllBytes(input);
        if (raw.length != bytes) {
            if (checksSize) {
                System.err.println("Unexpected file size for input file: " + input + ". Note: Expected: " + bytes
                        + " bytes but only read: " + Math.min(raw.length, bytes) + " bytes");
                System.exit(2);
            }
            raw = Arrays.copyOf(raw, bytes);
        }
        float[] p = OnnxImage.probabilities(onnx, raw, (int) in[1]);
        StringBuilder b = new StringBuilder(dims(in)).append('\n').append(dims(out)).append('\n');
        for (float v : p) {
            b.append(fp16 ? half(v) : v).append('\n');
        }
        System.out.print(b);
    }

    private static String dims(long[] d) {
        return Arrays.stream(d).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }

    /** The nearest half-precision value (round half to even), for values in half's normal range. */
    static float half(float f) {
        int bits = Float.floatToRawIntBits(f);
        bits += 0xFFF + ((bits >> 13) & 1);
        return Float.intBitsToFloat(bits & ~0x1FFF);
    }
}
