package slimbench.suite;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import slimbench.model.Model;

/**
 * Named suite sizes, so nobody edits code to get a quick run. Each sets the matrix and the JMH
 * settings; command-line options override any of them.
 */
public enum Preset {
    /** A smoke test in a few minutes: two small models, one fork each. */
    QUICK(List.of("mobilenet_v1", "inception_v1"), List.of("fp32", "fp16"), 1, 1, 0, 3, 500),
    /**
     * The 2019 experiment's matrix: every model, fp32 and fp16, both optimisation modes. Steady
     * state warms up in setup ({@link slimbench.bench.SteadyState#WARMUP_RUNS} inferences), not in
     * a JMH warm-up iteration of 100: that keeps the suite within 45 minutes on two cores.
     */
    DEFAULT(all(), List.of("fp32", "fp16"), 2, 1, 0, 3, 1000),
    /** Every variant, more forks and iterations, for numbers to publish. */
    DILIGENT(all(), List.of("fp32", "fp16", "bf16", "tftrt-fp16"), 5, 3, 3, 5, 2000),
    /** The experiment's matrix sized for a 4 GB Jetson Nano's time and memory. */
    NANO(all(), List.of("fp32", "fp16"), 1, 1, 0, 3, 1000);

    final List<String> models;
    final List<String> variants;
    final int coldForks;
    final int steadyForks;
    final int warmups;
    final int iterations;
    final Duration iterationTime;

    Preset(List<String> models, List<String> variants, int coldForks, int steadyForks, int warmups, int iterations,
           long iterationMillis) {
        this.models = models;
        this.variants = variants;
        this.coldForks = coldForks;
        this.steadyForks = steadyForks;
        this.warmups = warmups;
        this.iterations = iterations;
        this.iterationTime = Duration.ofMillis(iterationMillis);
    }

    public List<String> models() {
        return models;
    }

    public List<String> variants() {
        return variants;
    }

    public int coldForks() {
        return coldForks;
    }

    public int steadyForks() {
        return steadyForks;
    }

    public int warmups() {
        return warmups;
    }

    public int iterations() {
        return iterations;
    }

    public Duration iterationTime() {
        return iterationTime;
    }

    public static Preset of(String name) {
        try {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown preset '" + name + "'; valid: quick, default, diligent, nano");
        }
    }

    private static List<String> all() {
        return Arrays.stream(Model.values()).map(Model::label).toList();
    }
}
