package slimbench.model;

import java.util.Map;

/** Where a model's weight values come from: a seed, or a restored checkpoint. */
public interface Weights {
    float[] values(Variable v);

    /**
     * Deterministic values from a seed: each variable has its own SplitMix64 stream keyed by the
     * seed and its name, so a variable's values do not depend on what was generated before it.
     */
    static Weights seeded(long seed) {
        return v -> {
            long size = v.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(v.name() + " has too many elements: " + size);
            }
            float[] a = new float[(int) size];
            float[] range = v.init().range(v.fanIn(), v.gain());
            float lo = range[0];
            float span = range[1] - range[0];
            long state = seed ^ (v.name().hashCode() * 0x9E3779B97F4A7C15L) ^ ((long) v.name().length() << 32);
            for (int i = 0; i < a.length; i++) {
                state += 0x9E3779B97F4A7C15L;
                long z = state;
                z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                z ^= z >>> 31;
                a[i] = lo + span * ((z >>> 40) * 0x1.0p-24f);
            }
            return a;
        };
    }

    /** Values restored from a checkpoint, by slim variable name (checked for presence and shape earlier). */
    static Weights of(Map<String, float[]> values) {
        return v -> {
            float[] a = values.get(v.name());
            if (a == null) {
                throw new IllegalStateException("no value for " + v.name());
            }
            return a;
        };
    }
}
