package slimbench.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Scale;

/**
 * TensorFlow's FP32 answers for the accuracy guard of an ONNX Runtime cell, computed in a child
 * JVM. Loaded into the cell's own process, TensorFlow would stay resident there, and the cell's
 * memory would be both runtimes': the ONNX Runtime steady cell of a tiny mobilenet_v2 peaked at
 * 410 MiB resident with TensorFlow in it, 109 MiB with TensorFlow in a child
 * ({@code OnnxRuntimeBenchmarksTest}, one fork, machine shared). The child prints each probability's float bits, so the guard compares exactly what
 * TensorFlow computed.
 */
final class TensorFlowReference {
    private TensorFlowReference() {}

    /** The FP32 {@code ahead} graph's probabilities for the first {@code images} images, from a child JVM. */
    static float[][] probabilities(Path cache, Model model, Scale scale, int images) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path errors = Files.createTempFile("slimbench-reference", ".err");
        try {
            Process p = new ProcessBuilder(java.toString(), "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    TensorFlowReference.class.getName(), cache.toString(), model.label(), spell(scale),
                    Integer.toString(images))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(errors.toFile()).start();
            List<float[]> rows = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line; (line = in.readLine()) != null; ) {
                    rows.add(parse(line));
                }
            }
            int exit = p.waitFor();
            if (exit != 0 || rows.size() != images) {
                List<String> err = Files.readAllLines(errors);
                throw new IllegalStateException("TensorFlow's fp32 reference for the accuracy guard failed (exit " + exit
                        + "): " + (err.isEmpty() ? "no message" : err.get(err.size() - 1)));
            }
            return rows.toArray(float[][]::new);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for TensorFlow's fp32 reference", e);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** Arguments: {@code CACHE MODEL SCALE IMAGES}; prints one line of float bits (hex) per image. */
    public static void main(String[] a) throws IOException {
        float[][] p = AccuracyGuard.probabilities(Path.of(a[0]), Model.of(a[1]), Scale.parse(a[2]), Precision.FP32,
                Optimize.AHEAD, Integer.parseInt(a[3]));
        PrintStream out = System.out;
        for (float[] row : p) {
            StringBuilder b = new StringBuilder();
            for (float f : row) {
                b.append(b.length() == 0 ? "" : " ").append(Integer.toHexString(Float.floatToRawIntBits(f)));
            }
            out.println(b);
        }
        out.flush();
    }

    private static float[] parse(String line) {
        String[] f = line.trim().split(" ");
        float[] v = new float[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(f[i], 16));
        }
        return v;
    }

    /** A scale as {@link Scale#parse} reads it. */
    static String spell(Scale s) {
        return s.isFull() ? "full" : String.format(Locale.ROOT, "%d:%s:%d", s.inputSize(), Double.toString(s.width()), s.classes());
    }
}
