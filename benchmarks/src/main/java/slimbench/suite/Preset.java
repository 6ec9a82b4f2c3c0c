package slimbench.suite;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import slimbench.model.Model;

/**
 * Named suite sizes, so nobody edits code to get a quick run. Each is a matrix, JMH's iterations,
 * and a target plus budgets rather than fixed fork counts: a cell adds forks until its interval is
 * within the target or its budget is spent. {@code --forks} and {@code --iterations} fix the counts.
 */
public enum Preset {
    /** A smoke test in a few minutes: two small models on both engines, the fewest forks, a loose target. */
    QUICK(List.of("mobilenet_v1", "inception_v1"), List.of("fp32", "fp16"), bothOptimize(), null, 1, 3, 300,
            0.05, 10, 15, true),
    /**
     * The 2019 experiment on this machine: every model at fp32 and fp16, cold and steady, TensorFlow
     * on graphs optimised ahead; what the main job can measure with honest intervals on a small machine.
     */
    DEFAULT(all(), List.of("fp32", "fp16"), List.of("ahead"), List.of("tensorflow"), 1, 3, 500, 0.03, 15, 20, false),
    /** The whole matrix: the default's and both optimise modes on every engine this machine runs. */
    FULL(all(), List.of("fp32", "fp16"), bothOptimize(), null, 1, 3, 500, 0.03, 20, 30, true),
    /** Every variant, longer iterations, a tighter target and larger budgets, for numbers to publish. */
    DILIGENT(all(), List.of("fp32", "fp16", "bf16", "tftrt-fp16"), bothOptimize(), null, 2, 5, 1000, 0.02, 120, 300, true),
    /** The whole matrix with a Jetson Nano's slower forks in its budgets. */
    NANO(all(), List.of("fp32", "fp16"), bothOptimize(), null, 1, 3, 1000, 0.03, 120, 180, true);

    /** Every cell starts with this many forks: the fewest that give an interval ({@link ForkStats}). */
    public static final int MIN_FORKS = ForkStats.MIN_FORKS;

    final List<String> models;
    final List<String> variants;
    final List<String> optimize;
    final List<String> runtimes;
    final int warmups;
    final int iterations;
    final Duration iterationTime;
    final double target;
    final Duration coldBudget;
    final Duration steadyBudget;
    final boolean chooseThreads;

    Preset(List<String> models, List<String> variants, List<String> optimize, List<String> runtimes, int warmups, int iterations, long iterationMillis,
           double target, long coldBudgetSeconds, long steadyBudgetSeconds, boolean chooseThreads) {
        this.models = models;
        this.variants = variants;
        this.optimize = optimize;
        this.runtimes = runtimes;
        this.warmups = warmups;
        this.iterations = iterations;
        this.iterationTime = Duration.ofMillis(iterationMillis);
        this.target = target;
        this.coldBudget = Duration.ofSeconds(coldBudgetSeconds);
        this.steadyBudget = Duration.ofSeconds(steadyBudgetSeconds);
        this.chooseThreads = chooseThreads;
    }

    /** Whether a steady cell probes the thread counts within its budget, or runs on exactly the budget. */
    public boolean chooseThreads() {
        return chooseThreads;
    }

    public List<String> models() {
        return models;
    }

    public List<String> variants() {
        return variants;
    }

    public List<String> optimize() {
        return optimize;
    }

    /** The engines its cells run on, or null for every engine whose natives load here. */
    public List<String> runtimes() {
        return runtimes;
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

    /** The half-width, relative to the mean, at which a cell stops adding forks. */
    public double target() {
        return target;
    }

    /** How long a cold cell may measure for; it runs its first {@link #MIN_FORKS} shots whatever they take. */
    public Duration coldBudget() {
        return coldBudget;
    }

    /** How long a steady cell may measure for; it runs its first {@link #MIN_FORKS} forks whatever they take. */
    public Duration steadyBudget() {
        return steadyBudget;
    }

    public static Preset of(String name) {
        try {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown preset '" + name + "'; valid: "
                    + String.join(", ", Arrays.stream(values()).map(p -> p.name().toLowerCase(java.util.Locale.ROOT)).toList()));
        }
    }

    private static List<String> bothOptimize() {
        return List.of("at-load", "ahead");
    }

    private static List<String> all() {
        return Arrays.stream(Model.values()).map(Model::label).toList();
    }
}
