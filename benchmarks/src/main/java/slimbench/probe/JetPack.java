package slimbench.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Jetson software generations, told apart by the L4T major release in
 * {@code /etc/nv_tegra_release}, and what this jar does on each: the CPU runs every cell, and GPU
 * cells (tftrt-fp16) are UNSUPPORTED. Their reason is the same everywhere at heart, TensorFlow
 * Java's linux-arm64 native is built without CUDA, and on the older generations TensorFlow 2.18
 * could not use the JetPack's CUDA even if it had been.
 */
public enum JetPack {
    JETPACK_4(32, "JetPack 4", "Ubuntu 18.04", "CUDA 10.2", "needs CUDA 12 (JetPack 4 has 10.2)"),
    JETPACK_5(35, "JetPack 5", "Ubuntu 20.04", "CUDA 11.4", "needs CUDA 12 (JetPack 5 has 11.4)"),
    JETPACK_6(36, "JetPack 6", "Ubuntu 22.04", "CUDA 12", "");

    /** Why no GPU cell runs on any Jetson. */
    static final String NO_CUDA = "TensorFlow Java's arm64 native has no CUDA";
    /** TensorFlow 2.17 removed compute capability 5.x from its binary builds; the Tegra X1 is 5.3. */
    static final String MAXWELL = "no longer supports the Tegra X1's Maxwell GPU (Nano, TX1: compute capability 5.3)";

    private final int l4t;
    private final String label;
    private final String ubuntu;
    private final String cuda;
    /** What TensorFlow 2.18 lacks, besides {@link #NO_CUDA}, for this generation's GPU; empty if nothing known. */
    private final String cudaGap;

    JetPack(int l4t, String label, String ubuntu, String cuda, String cudaGap) {
        this.l4t = l4t;
        this.label = label;
        this.ubuntu = ubuntu;
        this.cuda = cuda;
        this.cudaGap = cudaGap;
    }

    /** The generation of an L4T major release (32, 35, 36), absent for one this table does not know. */
    public static Optional<JetPack> ofL4t(int release) {
        return Arrays.stream(values()).filter(j -> j.l4t == release).findFirst();
    }

    public String label() {
        return label;
    }

    /** "JetPack 4 (Ubuntu 18.04, CUDA 10.2)". */
    public String describe() {
        return label + " (" + ubuntu + ", " + cuda + ")";
    }

    /**
     * Why GPU cells are UNSUPPORTED on a Jetson of {@code generation} (absent: a release outside
     * this table); {@code maxwell} when the board is a Tegra X1 (t210). Kept short: it becomes every
     * such cell's message, which the runner cuts at 300 characters.
     */
    static String gpuReason(Optional<JetPack> generation, boolean maxwell) {
        List<String> lacks = new ArrayList<>();
        generation.map(j -> j.cudaGap).filter(gap -> !gap.isEmpty()).ifPresent(lacks::add);
        if (maxwell) {
            lacks.add(MAXWELL);
        }
        return lacks.isEmpty() ? NO_CUDA : NO_CUDA + "; TensorFlow 2.18 " + String.join(" and ", lacks);
    }
}
