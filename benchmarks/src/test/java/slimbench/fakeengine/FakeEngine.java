package slimbench.fakeengine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import slimbench.engine.Images;
import slimbench.engine.Inference;
import slimbench.engine.InferenceEngine;
import slimbench.engine.LoadOptions;
import slimbench.engine.OpProfile;
import slimbench.model.CellSpec;
import slimbench.model.Engine;
import slimbench.model.Generator;
import slimbench.model.Precision;
import slimbench.model.Variant;

/**
 * An engine that exists only on the test class path, registered as a service
 * ({@code META-INF/services/slimbench.engine.InferenceEngine} in the test resources): what a new
 * runtime needs and nothing more. It "runs" a zoo model's frozen graph by reading its bytes as the
 * weights of one linear layer and a softmax over {@value #CLASSES} classes of a small image: a real,
 * checked computation, though not the model's (so it is never held to the accuracy guard's
 * reference: the test runs cold cells).
 */
public final class FakeEngine implements InferenceEngine {
    static final Engine NAME = Engine.of("fake");
    static final String TITLE = "Fake Engine";
    static final int CLASSES = 10;
    private static final int SIZE = 16;

    @Override
    public Engine name() {
        return NAME;
    }

    @Override
    public String title() {
        return TITLE;
    }

    @Override
    public boolean byDefault() {
        return false;
    }

    @Override
    public Optional<String> loadProblem() {
        return Optional.empty();
    }

    @Override
    public List<Variant> variants() {
        return List.of(Variant.FP32);
    }

    @Override
    public Optional<String> problem(CellSpec cell) {
        return variants().contains(cell.variant()) ? Optional.empty()
                : Optional.of("the fake engine runs fp32, not " + cell.variant());
    }

    @Override
    public Map<String, String> conditions(RunSettings run) {
        return Map.of("fake.version", "1", "fake.threads", run.threads().toString());
    }

    @Override
    public Map<String, String> settings(Variant variant, Path file) {
        return Map.of("fake.version", "1");
    }

    @Override
    public Path file(Path cache, CellSpec cell) throws IOException {
        return Generator.located(cache, cell.model(), cell.variant().precision(), cell.optimize(), cell.scale(), 1);
    }

    @Override
    public void warmUp(int threads) {
        new Linear(new byte[] {1, 2, 3}, new Inference.Phases(0, Inference.Phases.NO_IMPORT, 0)).inferAndCheck();
    }

    @Override
    public Inference load(Path file, LoadOptions options) throws IOException {
        long t0 = System.nanoTime();
        byte[] weights = Files.readAllBytes(file);
        long t1 = System.nanoTime();
        options.onPhase().accept("read");
        Linear l = new Linear(weights, new Inference.Phases(t1 - t0, Inference.Phases.NO_IMPORT, 0));
        options.onPhase().accept("session");
        return l;
    }

    @Override
    public Answers answers(CellSpec cell) {
        return new Answers(Precision.FP32, cell.optimize(), false, " through the fake engine");
    }

    @Override
    public OpProfile.Measured profile(Path cache, OpProfile.Options options) {
        throw new IllegalArgumentException("the fake engine has no op profile");
    }

    /** One linear layer over a small image's pixels, then a softmax: the fake engine's whole model. */
    private static final class Linear implements Inference {
        private final byte[] weights;
        private final Phases phases;
        private final byte[] input = Images.pixels(SIZE, 0);

        Linear(byte[] weights, Phases phases) {
            this.weights = weights;
            this.phases = phases;
        }

        private float[] infer(byte[] pixels) {
            double[] logits = new double[CLASSES];
            for (int k = 0; k < CLASSES; k++) {
                for (int i = 0; i < pixels.length; i++) {
                    double w = (weights[(i * 7 + k) % weights.length] & 0xff) / 255.0 - 0.5;
                    logits[k] += ((pixels[i] & 0xff) / 255.0 - 0.5) * w;
                }
                logits[k] = 4 * logits[k] / pixels.length;
            }
            double sum = 0;
            for (int k = 0; k < CLASSES; k++) {
                logits[k] = Math.exp(logits[k]);
                sum += logits[k];
            }
            float[] p = new float[CLASSES];
            for (int k = 0; k < CLASSES; k++) {
                p[k] = (float) (logits[k] / sum);
            }
            return p;
        }

        @Override
        public void inferDiscarding() {
            infer(input);
        }

        @Override
        public int inferAndCheck() {
            return Inference.checkProbabilities(infer(input));
        }

        @Override
        public float[][] probabilities(int images) {
            float[][] out = new float[images][];
            for (int i = 0; i < images; i++) {
                out[i] = infer(Images.pixels(SIZE, i));
            }
            return out;
        }

        @Override
        public Phases phases() {
            return phases;
        }

        @Override
        public void close() {}
    }
}
